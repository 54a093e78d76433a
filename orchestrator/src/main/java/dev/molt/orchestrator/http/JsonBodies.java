package dev.molt.orchestrator.http;

import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.json.JsonBodyReader;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every JSON body a management route reads goes through here: at most {@code
 * molt.http.max-json-bytes} (413), nested at most {@code molt.http.max-json-depth} deep (400), and
 * an object ({@link JsonBodyReader}); a bound hit is counted. The server-wide
 * akka.http.server.parsing.max-content-length is the same small bound; only the upload route lifts
 * it for itself.
 */
final class JsonBodies extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(JsonBodies.class);

  private final JsonBodyReader reader;
  private final Problems problems;
  private final Refusals refusals;

  JsonBodies(ObjectMapper json, Problems problems, HttpLimits limits, Refusals refusals) {
    this.reader = new JsonBodyReader(json, limits.maxJsonBytes(), "molt.http.max-json-bytes", limits.maxJsonDepth(),
        "molt.http.max-json-depth", limits.bodyReadTimeout());
    this.problems = problems;
    this.refusals = refusals;
  }

  /** The body as a JSON object, or a 4xx naming the bound or the syntax error. */
  Route object(Function<ObjectNode, Route> inner) {
    return extractRequest(request -> reader.object(outcome -> {
      if (outcome instanceof JsonBodyReader.Read read) {
        return inner.apply(read.body());
      }
      JsonBodyReader.Refused refused = (JsonBodyReader.Refused) outcome;
      if (refused.bound() != null) {
        refusals.count(refused.bound(), request.method().value() + " " + request.getUri().path(), refused.detail());
      } else if (refused.detail().startsWith("the body could not be read")) {
        log.warn("could not read a request body: {}", refused.detail());
      }
      return complete(problems.of(refused.status(), refused.error(), refused.detail()));
    }));
  }
}
