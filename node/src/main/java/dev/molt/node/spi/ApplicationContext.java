package dev.molt.node.spi;

import akka.actor.typed.ActorRef;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.server.Route;
import dev.molt.protocol.envelope.Envelope;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * What a release's {@link ApplicationRoutes} may use: typed asks to the application's actors by
 * entity type and id (through Cluster Sharding when the release declares entities, so any node
 * reaches any entity), and JSON in and out through the release's own mapper. Valid while the
 * routes it was given to are mounted; it references the release's code, so hold it only in the
 * routes.
 */
public interface ApplicationContext {

  /**
   * Asks the entity {@code entityId} of {@code entityType}: {@code message} builds this release's
   * own message object around the reply-to (for example {@code replyTo -> new Score(p, 3, 10,
   * replyTo)}); it travels as an envelope, and the reply envelope's payload is read into {@code
   * replyType} (a class of this release, or {@code JsonNode}). Fails with {@link EntityAskException}
   * naming what went wrong: unknown entity type, no reply within {@code molt.app.ask-timeout}, or
   * the entity rejected the message; the routes Molt serves turn those into 404 / 504 / 409.
   */
  <T> CompletionStage<T> ask(String entityType, String entityId, Function<ActorRef<Envelope>, Object> message,
      Class<T> replyType);

  /**
   * Reads the request body as JSON into {@code type} with the release's mapper and hands it on; a
   * body that is not JSON, too large, too deep, or does not fit {@code type} is answered with 400
   * naming what was wrong, and {@code inner} never runs.
   */
  <T> Route entity(Class<T> type, Function<T, Route> inner);

  /** A JSON response of {@code value}, written with the release's mapper. */
  Route complete(StatusCode status, Object value);

  /** A JSON response of the value {@code future} completes with, or the error a failed ask names. */
  Route completeAsync(CompletionStage<?> future);

  /** A JSON error response {@code {"error": title, "detail": detail}}. */
  Route problem(StatusCode status, String title, String detail);

  ReleaseJson json();
}
