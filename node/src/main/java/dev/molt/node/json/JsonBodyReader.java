package dev.molt.node.json;

import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.Route;
import akka.stream.Materializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Reads a JSON request body within a byte bound (refused from its Content-Length before reading,
 * or when the stream passes the bound: 413) and a nesting bound (checked while parsing, before a
 * tree exists: 400), and requires an object. The management routes and the application routes
 * read their bodies through it, each with its own settings and error shape.
 */
public final class JsonBodyReader {

  /** What reading a body gave. */
  public sealed interface Outcome permits Read, Refused {}

  public record Read(ObjectNode body) implements Outcome {}

  /** @param bound the setting whose bound the body hit, for counting; null for a malformed body */
  public record Refused(StatusCode status, String error, String detail, String bound) implements Outcome {}

  private final ObjectMapper mapper;
  private final long maxBytes;
  private final String bytesSetting;
  private final int maxDepth;
  private final String depthSetting;
  private final long readTimeoutMillis;

  public JsonBodyReader(ObjectMapper mapper, long maxBytes, String bytesSetting, int maxDepth, String depthSetting,
      Duration readTimeout) {
    this.mapper = mapper;
    this.maxBytes = maxBytes;
    this.bytesSetting = bytesSetting;
    this.maxDepth = maxDepth;
    this.depthSetting = depthSetting;
    this.readTimeoutMillis = readTimeout.toMillis();
  }

  /** Reads the request's body and hands {@code then} what came of it. */
  public Route object(Function<Outcome, Route> then) {
    return Directives.extractRequestEntity(entity -> Directives.extractMaterializer(mat ->
        Directives.onSuccess(read(entity, mat), then::apply)));
  }

  /**
   * Reads {@code entity} within the bounds: what came of it, never a failed stage. The base of both
   * the {@link #object} directive and the management routes' unmarshallers.
   */
  public CompletionStage<Outcome> read(HttpEntity entity, Materializer mat) {
    OptionalLong declared = entity.getContentLengthOption();
    if (declared.isPresent() && declared.getAsLong() > maxBytes) {
      return CompletableFuture.completedFuture(tooLarge(declared.getAsLong() + " bytes"));
    }
    return entity.withSizeLimit(maxBytes).toStrict(readTimeoutMillis, mat)
        .handle((strict, failure) -> failure == null ? parse(strict.getData().toArray()) : unread(failure));
  }

  /** Whether {@code failure} (or a cause of it) is a stream passing its size limit. */
  public static boolean sizeExceeded(Throwable failure) {
    for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof akka.http.scaladsl.model.EntityStreamSizeException) {
        return true;
      }
    }
    return false;
  }

  private Outcome unread(Throwable stageFailure) {
    Throwable failure = stageFailure instanceof CompletionException && stageFailure.getCause() != null
        ? stageFailure.getCause() : stageFailure;
    if (sizeExceeded(failure)) {
      return tooLarge("more than that");
    }
    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
    return new Refused(StatusCodes.BAD_REQUEST, "bad request", "the body could not be read: " + cause.getMessage(), null);
  }

  private Refused tooLarge(String size) {
    return new Refused(StatusCodes.PAYLOAD_TOO_LARGE, "body too large", "the body is " + size
        + "; the limit for JSON bodies is " + maxBytes + " bytes (" + bytesSetting + ")", bytesSetting);
  }

  private Outcome parse(byte[] bytes) {
    JsonNode body;
    try {
      body = JsonBounds.read(mapper, bytes, maxDepth);
    } catch (JsonBounds.TooDeep e) {
      return new Refused(StatusCodes.BAD_REQUEST, "body too deep", "the body is " + e.getMessage() + "; the limit is "
          + maxDepth + " (" + depthSetting + ")", depthSetting);
    } catch (StackOverflowError e) {
      // Cannot happen after the depth check; if it does, it must not reach jvm-exit-on-fatal-error.
      return new Refused(StatusCodes.BAD_REQUEST, "body too deep", "the body could not be parsed within the stack", depthSetting);
    } catch (Exception e) {
      return new Refused(StatusCodes.BAD_REQUEST, "bad request", "the body is not JSON: " + firstLine(e.getMessage()), null);
    }
    if (body == null || !body.isObject()) {
      return new Refused(StatusCodes.BAD_REQUEST, "bad request", "the body must be a JSON object", null);
    }
    return new Read((ObjectNode) body);
  }

  /** The first line of an error text: parser messages go on with the source excerpt. */
  public static String firstLine(String text) {
    return text == null ? "" : text.lines().findFirst().orElse("");
  }
}
