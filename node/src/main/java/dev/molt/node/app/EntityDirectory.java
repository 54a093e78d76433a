package dev.molt.node.app;

import akka.actor.typed.ActorRef;
import dev.molt.node.release.LoadedRelease;
import dev.molt.protocol.envelope.Envelope;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Where the application routes' asks go: the actors of an entity type by id. Stable code only (it
 * outlives every release); the release whose routes ask is passed in per call.
 */
interface EntityDirectory {

  /** Why {@code entityType} cannot be reached with {@code release} current, empty when it can. */
  Optional<String> unknown(LoadedRelease release, String entityType);

  /** Sends the envelope {@code message} builds around a temporary reply-to and waits for the reply. */
  CompletionStage<Envelope> ask(String entityType, String entityId, Function<ActorRef<Envelope>, Envelope> message,
      Duration timeout);
}
