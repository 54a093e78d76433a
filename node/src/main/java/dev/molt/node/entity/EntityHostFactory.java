package dev.molt.node.entity;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.ClusterShardingSettings;
import akka.cluster.sharding.typed.HashCodeMessageExtractor;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import dev.molt.node.host.Passivate;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.supervision.HostListing;
import dev.molt.protocol.release.EntitySpec;
import java.time.Duration;

/** Starts one entity type's region, whose entities are Molt hosts listed where installs look. */
final class EntityHostFactory {
  private EntityHostFactory() {}

  static EntityTypeKey<Object> init(ActorSystem<?> system, EntitySpec spec, HostListing listing,
      ActorRef<EntityRoster.Command> roster) {
    EntityTypeKey<Object> key = EntityTypeKey.create(Object.class, spec.type());
    ClusterShardingSettings settings = ClusterShardingSettings.create(system);
    settings = spec.passivateAfterSeconds() == 0 ? settings.withNoPassivationStrategy()
        : settings.withPassivateIdleEntityAfter(Duration.ofSeconds(spec.passivateAfterSeconds()));
    ClusterSharding.get(system).init(Entity.of(key, context -> EntityHost.create(spec, context, listing, roster))
        .withMessageExtractor(new HashCodeMessageExtractor<>(spec.shards()))
        .withStopMessage(Passivate.INSTANCE)
        .withAllocationStrategy(new NoRebalanceAllocation())
        .withSettings(settings)
        .withEntityProps(ReleaseRegistry.get(system).settings().hostDispatcher().selector()));
    return key;
  }
}
