package dev.molt.node.json;

import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.Route;
import akka.stream.Materializer;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a JSON request body within a byte bound (refused from its Content-Length before reading,
 * or when the stream passes the bound: 413) and a nesting bound (checked while parsing, before a
 * tree exists: 400), and requires one object, without a field named twice or a number longer than
 * {@link JsonBounds#MAX_NUMBER_CHARS} characters (400). A refusal's detail is in our words, never
 * Jackson's text with its excerpt of the body. The management routes and the application routes
 * read their bodies through it, each with its own settings and error shape.
 */
public final class JsonBodyReader {
  private static final Logger log = LoggerFactory.getLogger(JsonBodyReader.class);

  /** What reading a body gave. */
  public sealed interface Outcome permits Read, Refused {}

  public record Read(ObjectNode body) implements Outcome {}

  /** @param bound the bound the body hit (its setting, or {@link #NUMBER_BOUND}), for counting; null for a malformed body */
  public record Refused(StatusCode status, String error, String detail, String bound) implements Outcome {}

  /** What a number longer than {@link JsonBounds#MAX_NUMBER_CHARS} is counted as. */
  public static final String NUMBER_BOUND = "json number length";
  /** A location as Jackson writes it, its source excerpt off ({@link JsonBounds#forRequests}). */
  private static final Pattern SOURCE_LOCATION = Pattern.compile("\\[Source: [^;\\]]*; line: (-?\\d+), column: (-?\\d+)\\]");

  private final ObjectMapper mapper;
  private final JsonFactory requests;
  private final long maxBytes;
  private final String bytesSetting;
  private final int maxDepth;
  private final String depthSetting;
  private final long readTimeoutMillis;

  public JsonBodyReader(ObjectMapper mapper, long maxBytes, String bytesSetting, int maxDepth, String depthSetting,
      Duration readTimeout) {
    this.mapper = mapper;
    this.requests = JsonBounds.forRequests(mapper);
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
    return JsonRefusal.cause(failure, akka.http.scaladsl.model.EntityStreamSizeException.class) != null;
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

  /** What {@code bytes} hold, read within the bounds (package-private for the reader's tests). */
  Outcome parse(byte[] bytes) {
    JsonNode body;
    try {
      body = JsonBounds.read(mapper, requests, bytes, maxDepth);
    } catch (JsonBounds.TooDeep e) {
      return new Refused(StatusCodes.BAD_REQUEST, "body too deep", "the body is " + e.getMessage() + "; the limit is "
          + maxDepth + " (" + depthSetting + ")", depthSetting);
    } catch (JsonBounds.TooLong e) {
      return new Refused(StatusCodes.BAD_REQUEST, "bad request", "the body " + e.getMessage(), NUMBER_BOUND);
    } catch (JsonBounds.Refused e) {
      return new Refused(StatusCodes.BAD_REQUEST, "bad request", "the body " + e.getMessage(), null);
    } catch (StackOverflowError e) {
      // Cannot happen after the depth check; if it does, it must not reach jvm-exit-on-fatal-error.
      return new Refused(StatusCodes.BAD_REQUEST, "body too deep", "the body could not be parsed within the stack", depthSetting);
    } catch (JsonProcessingException e) {
      return new Refused(StatusCodes.BAD_REQUEST, "bad request", "the body is not JSON: " + parserError(e), null);
    } catch (IOException | RuntimeException e) {
      // Not expected from bytes already in memory; the client gets no parser text, the log the cause.
      log.warn("could not parse a request body of {} bytes", bytes.length, e);
      return new Refused(StatusCodes.BAD_REQUEST, "bad request", "the body could not be parsed", null);
    }
    if (body == null || !body.isObject()) {
      return new Refused(StatusCodes.BAD_REQUEST, "bad request", "the body must be a JSON object", null);
    }
    return new Read((ObjectNode) body);
  }

  /**
   * Jackson's complaint in our words: its message without the location it appends, where a
   * location inside the message ("start marker at ...") is also made line and column, abbreviated,
   * and then where it happened.
   */
  static String parserError(JsonProcessingException e) {
    String message = SOURCE_LOCATION.matcher(firstLine(e.getOriginalMessage())).replaceAll("line $1, column $2");
    JsonLocation where = e.getLocation();
    return JsonBounds.abbreviate(message, 160) + (where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")");
  }

  /** The first line of an error text: parser messages go on with the source excerpt. */
  public static String firstLine(String text) {
    return text == null ? "" : text.lines().findFirst().orElse("");
  }
}
