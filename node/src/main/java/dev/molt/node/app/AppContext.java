package dev.molt.node.app;

import akka.actor.typed.ActorRef;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.molt.node.json.JsonBodyReader;
import dev.molt.node.json.JsonRefusal;
import dev.molt.node.release.LoadedRelease;
import dev.molt.node.spi.ApplicationContext;
import dev.molt.node.spi.EntityAskException;
import dev.molt.node.spi.EntityAskException.Reason;
import dev.molt.node.spi.ReleaseJson;
import dev.molt.protocol.envelope.Envelope;
import dev.molt.protocol.envelope.Rejection;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The context one release's routes get. It holds the release (and so its class loader) only as
 * long as those routes are mounted or a request on them is in flight.
 */
final class AppContext implements ApplicationContext {
  private final LoadedRelease release;
  private final EntityDirectory entities;
  private final AppSettings settings;
  private final ObjectMapper stable;
  private final JsonBodyReader bodies;
  private final AppResponses responses;

  AppContext(LoadedRelease release, EntityDirectory entities, AppSettings settings, ObjectMapper stable,
      AppResponses responses) {
    this.release = release;
    this.entities = entities;
    this.settings = settings;
    this.stable = stable;
    this.responses = responses;
    this.bodies = new JsonBodyReader(stable, settings.maxJsonBytes(), "molt.app.max-json-bytes", settings.maxJsonDepth(),
        "molt.app.max-json-depth", settings.bodyReadTimeout());
  }

  @Override
  public <T> CompletionStage<T> ask(String entityType, String entityId, Function<ActorRef<Envelope>, Object> message,
      Class<T> replyType) {
    String target = entityType + " '" + entityId + "'";
    return entities.ask(release, entityType, entityId, replyTo -> encode(target, message.apply(replyTo)), settings.askTimeout())
        .handle((reply, failure) -> {
          if (failure != null) {
            throw failed(target, failure);
          }
          return read(target, reply, replyType);
        });
  }

  private Envelope encode(String target, Object message) {
    try {
      return release.encodeMessage(message);
    } catch (RuntimeException e) {
      throw new EntityAskException(Reason.NOT_SENDABLE, "the message to " + target + " cannot be sent: " + e.getMessage());
    }
  }

  private static EntityAskException failed(String target, Throwable failure) {
    Throwable cause = failure.getCause() != null && !(failure instanceof EntityAskException) ? failure.getCause() : failure;
    if (cause instanceof EntityAskException ask) {
      return ask;
    }
    if (cause instanceof TimeoutException) {
      return new EntityAskException(Reason.NO_REPLY, target + " did not reply in time (molt.app.ask-timeout)");
    }
    return new EntityAskException(Reason.NO_REPLY, target + " could not be asked: " + cause.getMessage());
  }

  private <T> T read(String target, Envelope reply, Class<T> replyType) {
    if (Envelope.REJECTED.equals(reply.type())) {
      Rejection rejection = stable.convertValue(reply.payload(), Rejection.class);
      throw new EntityAskException(Reason.REJECTED, target + " rejected '" + rejection.type() + "': " + rejection.reason());
    }
    if (replyType == JsonNode.class) {
      return replyType.cast(reply.payload());
    }
    try {
      return release.json().fromJson(reply.payload(), replyType);
    } catch (RuntimeException e) {
      throw new EntityAskException(Reason.UNREADABLE_REPLY, "the reply '" + reply.type() + "' of " + target
          + " does not read as " + replyType.getSimpleName() + ": " + e.getMessage());
    }
  }

  @Override
  public <T> Route entity(Class<T> type, Function<T, Route> inner) {
    return bodies.object(outcome -> {
      if (outcome instanceof JsonBodyReader.Refused refused) {
        return problem(refused.status(), refused.error(), refused.detail());
      }
      T value;
      JsonNode body = ((JsonBodyReader.Read) outcome).body();
      try {
        value = release.json().fromJson(body, type);
      } catch (RuntimeException e) {
        return problem(StatusCodes.BAD_REQUEST, "bad request", JsonRefusal.describe(e, body, type));
      }
      return inner.apply(value);
    });
  }

  @Override
  public Route complete(StatusCode status, Object value) {
    return Directives.complete(responses.json(status, release.json().toJson(value)));
  }

  @Override
  public Route completeAsync(CompletionStage<?> future) {
    return Directives.extractRequest(request -> Directives.completeWithFuture(future.handle((value, failure) ->
        failure == null ? responses.json(StatusCodes.OK, release.json().toJson(value))
            : responses.failure(request.method().value() + " " + request.getUri().path(), failure))));
  }

  @Override
  public Route problem(StatusCode status, String title, String detail) {
    return Directives.complete(responses.problem(status, title, detail));
  }

  @Override
  public ReleaseJson json() {
    return release.json();
  }
}
