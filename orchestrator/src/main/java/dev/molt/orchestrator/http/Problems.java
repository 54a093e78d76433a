package dev.molt.orchestrator.http;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.RejectionHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.orchestrator.rollout.OrchestratorProtocol;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Molt's one error shape, {@code {"error": short, "detail": what was wrong}}, for every 4xx/5xx its
 * routes answer, including Akka HTTP's own rejections and failures. Never a stack trace.
 */
final class Problems {
  private static final Logger log = LoggerFactory.getLogger(Problems.class);
  /** A fixed body for the case where even writing JSON failed. */
  private static final byte[] FALLBACK =
      "{\"error\":\"internal error\",\"detail\":\"see the node's log\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private final ObjectMapper json;

  Problems(ObjectMapper json) {
    this.json = json;
  }

  ObjectNode problem(String error, String detail) {
    return json.createObjectNode().put("error", error).put("detail", detail);
  }

  HttpResponse of(StatusCode status, String error, String detail) {
    return response(status, problem(error, detail));
  }

  HttpResponse of(BadInput bad) {
    return of(StatusCodes.get(bad.status()), bad.error(), bad.detail());
  }

  /** The orchestrator's answer: its problem as the client's error, any other reply as JSON with {@code success}. */
  HttpResponse reply(OrchestratorProtocol.Reply reply, StatusCode success) {
    if (reply instanceof OrchestratorProtocol.Problem p) {
      return of(StatusCodes.get(p.status()), p.error(), p.detail());
    }
    return response(success, json.valueToTree(reply));
  }

  /** The orchestrator did not answer in time: 503, retry (a refusal found on the way stays the client's error). */
  HttpResponse unavailable(Throwable t) {
    Throwable cause = cause(t);
    if (cause instanceof BadInput bad) {
      return of(bad);
    }
    log.warn("orchestrator did not answer: {}", cause.toString());
    return of(StatusCodes.SERVICE_UNAVAILABLE, "orchestrator unavailable",
        "the orchestrator did not answer in time (it may be moving to another node); try again");
  }

  HttpResponse response(StatusCode status, JsonNode body) {
    try {
      return HttpResponse.create().withStatus(status)
          .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, json.writeValueAsBytes(body)));
    } catch (Exception | StackOverflowError e) {
      log.error("cannot write a {} response: {}", status.intValue(), e.toString());
      return HttpResponse.create().withStatus(StatusCodes.INTERNAL_SERVER_ERROR)
          .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, FALLBACK));
    }
  }

  /** What a failed future or a thrown exception really was: without the wrappers futures add. */
  static Throwable cause(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** Whether {@code t} or a cause of it is Akka HTTP's "entity larger than its limit". */
  static boolean tooLarge(Throwable t) {
    return dev.molt.node.json.JsonBodyReader.sizeExceeded(t);
  }

  ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder().matchAny(e -> {
      if (tooLarge(e)) {
        return akka.http.javadsl.server.Directives.complete(of(StatusCodes.PAYLOAD_TOO_LARGE, "body too large", e.getMessage()));
      }
      log.error("molt route failed: {}", e.toString());
      return akka.http.javadsl.server.Directives.complete(of(StatusCodes.INTERNAL_SERVER_ERROR, "internal error",
          "see the node's log"));
    }).build();
  }

  /** Akka HTTP's rejection texts (405, 404, ...) in Molt's error shape. */
  RejectionHandler rejections() {
    return RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
      if (response.entity() instanceof HttpEntity.Strict strict && !strict.getContentType().equals(ContentTypes.APPLICATION_JSON)) {
        String text = strict.getData().utf8String();
        return response.withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
            problem(response.status().reason().toLowerCase(), text).toString()));
      }
      return response;
    });
  }
}
