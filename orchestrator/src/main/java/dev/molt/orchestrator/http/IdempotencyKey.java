package dev.molt.orchestrator.http;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The client's request id for rollout starts and controls: the {@code Idempotency-Key} header (as
 * in the IETF draft and Stripe's API). A request repeated with the same key (a retry after a 503
 * while the orchestrator moves) gets the first answer and changes nothing. Optional; a malformed
 * key is refused with 400 and applies nothing.
 */
final class IdempotencyKey extends AllDirectives {
  static final String HEADER = "Idempotency-Key";
  static final int MAX_LENGTH = 64;
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code inner} with the key, or null when the request has none. */
  Route optional(Function<String, Route> inner) {
    return optionalHeaderValueByName(HEADER, key -> {
      if (key.isEmpty()) {
        return inner.apply(null);
      }
      if (!VALID.matcher(key.get()).matches()) {
        var body = JSON.createObjectNode().put("error", "bad " + HEADER)
            .put("detail", HEADER + " must be 1.." + MAX_LENGTH + " characters of A-Z a-z 0-9 . _ : -");
        return complete(HttpResponse.create().withStatus(StatusCodes.BAD_REQUEST)
            .withEntity(ContentTypes.APPLICATION_JSON, body.toString()));
      }
      return inner.apply(key.get());
    });
  }
}
