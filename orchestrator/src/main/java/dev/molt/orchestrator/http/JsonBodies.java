package dev.molt.orchestrator.http;

import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.MalformedRequestContentRejection;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import akka.stream.Materializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.molt.node.json.JsonBodyReader;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every JSON body a management route reads goes through here, as an Akka HTTP unmarshaller into
 * its record ({@link BodyType}): at most {@code molt.http.max-json-bytes} (413), nested at most
 * {@code molt.http.max-json-depth} deep (400), and an object ({@link JsonBodyReader}), then read
 * by Jackson with each field checked (400). Shaped like Akka HTTP's own Jackson unmarshaller
 * ({@code Jackson.unmarshaller}: the entity read, then {@code readerFor(type).readValue}), but the
 * entity is read by the bounded reader (Akka's reads it whole, and Jackson 2.13 has no nesting
 * limit), any content type is taken as JSON (as the routes always did: {@code curl -d} sends a
 * form type), and a failure is a {@link BadInput} that {@link #body} answers with its status and
 * detail, counted when it hit a bound or a field's rule, instead of Jackson's message. The server-wide
 * akka.http.server.parsing.max-content-length is the same small bound; only the upload route lifts
 * it for itself.
 */
final class JsonBodies extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(JsonBodies.class);

  private final JsonBodyReader reader;
  private final Materializer materializer;
  private final Problems problems;
  private final RejectionHandler refused;

  JsonBodies(ObjectMapper json, Materializer materializer, Problems problems, HttpLimits limits, Refusals refusals) {
    this.reader = new JsonBodyReader(json, limits.maxJsonBytes(), "molt.http.max-json-bytes", limits.maxJsonDepth(),
        "molt.http.max-json-depth", limits.bodyReadTimeout());
    this.materializer = materializer;
    this.problems = problems;
    this.refused = RejectionHandler.newBuilder().handle(MalformedRequestContentRejection.class, rejection ->
        extractRequest(request -> {
          BadInput bad = badInput(rejection.getCause());
          if (bad == null) {
            log.warn("could not read a request body: {}", String.valueOf(rejection.getCause()));
            return complete(problems.of(new BadInput(400, "bad request", "the body could not be read")));
          }
          if (bad.countedAs() != null) {
            refusals.count(bad.countedAs(), request.method().value() + " " + request.getUri().path(), bad.detail());
          } else if (bad.detail().startsWith("the body could not be read")) {
            log.warn("could not read a request body: {}", bad.detail());
          }
          return complete(problems.of(bad));
        })).build();
  }

  /** The unmarshaller of a body of {@code type}: its stage fails with the {@link BadInput} refusing it. */
  <T> Unmarshaller<HttpEntity, T> unmarshaller(BodyType<T> type) {
    return Unmarshaller.async(entity -> reader.read(entity, materializer).thenApply(outcome -> {
      try {
        if (outcome instanceof JsonBodyReader.Read read) {
          return type.read(read.body());
        }
        JsonBodyReader.Refused r = (JsonBodyReader.Refused) outcome;
        throw new BadInput(r.status().intValue(), r.error(), r.detail(), r.bound());
      } catch (BadInput bad) {
        throw new CompletionException(bad);
      }
    }));
  }

  /** Akka HTTP's {@code entity} directive, with the unmarshaller's refusal answered as Molt's 4xx. */
  <T> Route body(Unmarshaller<HttpEntity, T> unmarshaller, Function<T, Route> inner) {
    return handleRejections(refused, () -> entity(unmarshaller, inner));
  }

  /** The refusal behind a rejection; null for another failure (not expected). */
  private static BadInput badInput(Throwable failure) {
    for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof BadInput bad) {
        return bad;
      }
    }
    return null;
  }
}
