package dev.molt.node.app;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import dev.molt.node.entity.Entities;
import dev.molt.node.release.LoadedRelease;
import dev.molt.node.spi.EntityAskException;
import dev.molt.node.spi.EntityAskException.Reason;
import dev.molt.protocol.envelope.Envelope;
import dev.molt.protocol.release.EntitySpec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Entities the release declares in {@code entities}: asked through Cluster Sharding, so any node
 * reaches the one entity of an id wherever its shard lives. Other entity types fall back to the
 * supervision tree's dynamic children on this node ({@link TreeEntities}).
 */
final class ShardedEntities implements EntityDirectory {
  private final ActorSystem<?> system;
  private final EntityDirectory tree;

  ShardedEntities(ActorSystem<?> system, EntityDirectory tree) {
    this.system = system;
    this.tree = tree;
  }

  @Override
  public CompletionStage<Envelope> ask(LoadedRelease release, String entityType, String entityId,
      Function<ActorRef<Envelope>, Envelope> message, Duration timeout) {
    if (release.descriptor().entities().stream().map(EntitySpec::type).noneMatch(entityType::equals)) {
      return tree.ask(release, entityType, entityId, message, timeout);
    }
    EntityRef<Object> entity;
    try {
      entity = Entities.get(system).ref(entityType, entityId);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new EntityAskException(Reason.UNKNOWN_ENTITY_TYPE, e.getMessage()));
    }
    return AskPattern.<Object, Envelope>ask(entity, message::apply, timeout, system.scheduler());
  }
}
