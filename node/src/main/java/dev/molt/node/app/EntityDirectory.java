package dev.molt.node.app;

import akka.actor.typed.ActorRef;
import dev.molt.node.release.LoadedRelease;
import dev.molt.protocol.envelope.Envelope;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Where the application routes' asks go: the actors of an entity type by id. Stable code only (it
 * outlives every release); the release whose routes ask is passed in per call.
 */
interface EntityDirectory {

  /**
   * Sends the envelope {@code message} builds around a temporary reply-to to the entity and waits
   * for the reply; fails at once with {@link dev.molt.node.spi.EntityAskException.Reason#UNKNOWN_ENTITY_TYPE}
   * when {@code release} (the routes' own) has no such entity type.
   */
  CompletionStage<Envelope> ask(LoadedRelease release, String entityType, String entityId,
      Function<ActorRef<Envelope>, Envelope> message, Duration timeout);
}
