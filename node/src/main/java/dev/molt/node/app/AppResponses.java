package dev.molt.node.app;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.scaladsl.model.EntityStreamSizeException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.spi.EntityAskException;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON responses of the application port, and what a release's routes answer when they throw or
 * reject: always {@code {"error", "detail"}}, never a stack trace.
 */
final class AppResponses {
  private static final Logger log = LoggerFactory.getLogger(AppResponses.class);

  private final ObjectMapper json;

  AppResponses(ObjectMapper json) {
    this.json = json;
  }

  HttpResponse json(StatusCode status, Object body) {
    try {
      return HttpResponse.create().withStatus(status)
          .withEntity(akka.http.javadsl.model.HttpEntities.create(ContentTypes.APPLICATION_JSON, json.writeValueAsBytes(body)));
    } catch (Exception e) {
      log.warn("application response could not be written as JSON: {}", e.toString());
      return problem(StatusCodes.INTERNAL_SERVER_ERROR, "internal error", "the response could not be written as JSON");
    }
  }

  HttpResponse problem(StatusCode status, String title, String detail) {
    ObjectNode body = json.createObjectNode().put("error", title).put("detail", detail);
    return json(status, body);
  }

  /** The response for a failed ask or a failure thrown by release code. */
  HttpResponse failure(String route, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof EntityAskException ask) {
      log.warn("{}: {}", route, ask.getMessage());
      return problem(StatusCodes.get(ask.reason().status()), ask.reason().name().toLowerCase().replace('_', ' '), ask.getMessage());
    }
    if (cause instanceof EntityStreamSizeException) {
      return problem(StatusCodes.PAYLOAD_TOO_LARGE, "body too large", cause.getMessage());
    }
    log.warn("{} failed in the application's routes: {}", route, cause.toString());
    return problem(StatusCodes.INTERNAL_SERVER_ERROR, "internal error", "the application failed: " + cause.getClass().getSimpleName());
  }

  ExceptionHandler exceptions(String release) {
    return ExceptionHandler.newBuilder().matchAny(e -> akka.http.javadsl.server.Directives.complete(failure(release, e))).build();
  }

  /** Akka's rejections (no such path, wrong method, ...) with their text as the detail of a JSON error. */
  RejectionHandler rejections() {
    return RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
      if (response.entity() instanceof HttpEntity.Strict strict && !isJson(response)) {
        return problem(response.status(), response.status().reason().toLowerCase(), strict.getData().utf8String());
      }
      return response;
    });
  }

  private static boolean isJson(HttpResponse response) {
    return response.entity().getContentType().equals(ContentTypes.APPLICATION_JSON);
  }
}
