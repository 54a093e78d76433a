package dev.molt.orchestrator.http;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
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

  private final Problems problems;

  IdempotencyKey(Problems problems) {
    this.problems = problems;
  }

  /** {@code inner} with the key, or null when the request has none. */
  Route optional(Function<String, Route> inner) {
    return optionalHeaderValueByName(HEADER, key -> {
      if (key.isEmpty()) {
        return inner.apply(null);
      }
      if (!VALID.matcher(key.get()).matches()) {
        return complete(problems.of(StatusCodes.BAD_REQUEST, "bad " + HEADER,
            HEADER + " must be 1.." + MAX_LENGTH + " characters of A-Z a-z 0-9 . _ : -"));
      }
      return inner.apply(key.get());
    });
  }
}
