package dev.molt.orchestrator.http;

import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.json.JsonBounds;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every JSON body Molt reads goes through here: at most {@code molt.http.max-json-bytes} (refused
 * from its Content-Length before reading, or when the stream passes the bound: 413), nested at most
 * {@code molt.http.max-json-depth} deep (checked while parsing, before a tree exists: 400), and an
 * object. The server-wide akka.http.server.parsing.max-content-length is the same small bound; only
 * the upload route lifts it for itself.
 */
final class JsonBodies extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(JsonBodies.class);
  /** A small body that does not arrive within this is a stalled client. */
  private static final long READ_TIMEOUT_MILLIS = 10_000;

  private final ObjectMapper json;
  private final Problems problems;
  private final HttpLimits limits;
  private final Refusals refusals;

  JsonBodies(ObjectMapper json, Problems problems, HttpLimits limits, Refusals refusals) {
    this.json = json;
    this.problems = problems;
    this.limits = limits;
    this.refusals = refusals;
  }

  /** The body as a JSON object, or a 4xx naming the bound or the syntax error. */
  Route object(Function<ObjectNode, Route> inner) {
    long max = limits.maxJsonBytes();
    return extractRequest(request -> extractRequestEntity(entity -> {
      String route = request.method().value() + " " + request.getUri().path();
      if (entity.getContentLengthOption().isPresent() && entity.getContentLengthOption().getAsLong() > max) {
        return complete(tooLarge(route, entity.getContentLengthOption().getAsLong() + " bytes"));
      }
      return withSizeLimit(max, () -> extractMaterializer(mat -> onComplete(
          () -> entity.withSizeLimit(max).toStrict(READ_TIMEOUT_MILLIS, mat),
          read -> {
            if (read.isFailure()) {
              Throwable cause = Problems.cause(read.failed().get());
              if (Problems.tooLarge(cause)) {
                return complete(tooLarge(route, "more than that"));
              }
              log.warn("could not read a request body: {}", cause.toString());
              return complete(problems.of(StatusCodes.BAD_REQUEST, "bad request", "the body could not be read: " + cause.getMessage()));
            }
            return parsed(route, read.get(), inner);
          })));
    }));
  }

  private Route parsed(String route, HttpEntity.Strict entity, Function<ObjectNode, Route> inner) {
    JsonNode body;
    try {
      body = JsonBounds.read(json, entity.getData().toArray(), limits.maxJsonDepth());
    } catch (JsonBounds.TooDeep e) {
      refusals.count("molt.http.max-json-depth", route, e.getMessage());
      return complete(problems.of(StatusCodes.BAD_REQUEST, "body too deep", "the body is " + e.getMessage()
          + "; the limit is " + limits.maxJsonDepth() + " (molt.http.max-json-depth)"));
    } catch (StackOverflowError e) {
      // Cannot happen after the depth check; if it does, it must not reach jvm-exit-on-fatal-error.
      return complete(problems.of(StatusCodes.BAD_REQUEST, "body too deep", "the body could not be parsed within the stack"));
    } catch (Exception e) {
      return complete(problems.of(StatusCodes.BAD_REQUEST, "bad request", "the body is not JSON: " + firstLine(e.getMessage())));
    }
    if (body == null || !body.isObject()) {
      return complete(problems.of(StatusCodes.BAD_REQUEST, "bad request", "the body must be a JSON object"));
    }
    return inner.apply((ObjectNode) body);
  }

  private akka.http.javadsl.model.HttpResponse tooLarge(String route, String size) {
    refusals.count("molt.http.max-json-bytes", route, "body of " + size);
    return problems.of(StatusCodes.PAYLOAD_TOO_LARGE, "body too large", "the body is " + size + "; the limit for JSON bodies is "
        + limits.maxJsonBytes() + " bytes (molt.http.max-json-bytes)");
  }

  private static String firstLine(String text) {
    return text == null ? "" : text.lines().findFirst().orElse("");
  }
}
