package dev.molt.node.entity;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.ClusterShardingSettings;
import akka.cluster.sharding.typed.HashCodeMessageExtractor;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityContext;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.molt.node.host.HostActor;
import dev.molt.node.host.Passivate;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.node.supervision.HostListing;
import dev.molt.protocol.release.EntitySpec;
import java.time.Duration;

/** Starts one entity type's region, whose entities are Molt hosts listed where installs look. */
final class EntityHostFactory {
  /** The pseudo-supervisor entity hosts of a type are listed under: {@code entity:<type>}. */
  static final String SUPERVISOR_PREFIX = "entity:";

  private EntityHostFactory() {}

  static EntityTypeKey<Object> init(ActorSystem<?> system, EntitySpec spec, HostListing listing,
      ActorRef<EntityRoster.Command> roster) {
    EntityTypeKey<Object> key = EntityTypeKey.create(Object.class, spec.type());
    ClusterShardingSettings settings = ClusterShardingSettings.create(system);
    settings = spec.passivateAfterSeconds() == 0 ? settings.withNoPassivationStrategy()
        : settings.withPassivateIdleEntityAfter(Duration.ofSeconds(spec.passivateAfterSeconds()));
    ClusterSharding.get(system).init(Entity.of(key, context -> host(spec, context, listing, roster))
        .withMessageExtractor(new HashCodeMessageExtractor<>(spec.shards()))
        .withStopMessage(Passivate.INSTANCE)
        .withAllocationStrategy(new NoRebalanceAllocation())
        .withSettings(settings));
    return key;
  }

  /**
   * One entity: listed (under the registry's spawn order) before it picks its code, so an install
   * that made a release current either finds it and changes it, or it starts on the new code.
   */
  private static Behavior<Object> host(EntitySpec spec, EntityContext<Object> entity, HostListing listing,
      ActorRef<EntityRoster.Command> roster) {
    return Behaviors.setup(context -> {
      ApplicationTree.Host host = new ApplicationTree.Host(SUPERVISOR_PREFIX + spec.type(), entity.getEntityId(),
          spec.behaviour(), context.getSelf());
      ReleaseRegistry.get(context.getSystem()).spawnListed(() -> {
        listing.add(host);
        return null;
      });
      roster.tell(new EntityRoster.Listed(host));
      var shard = entity.getShard();
      return HostActor.entity(spec.behaviour(), TextNode.valueOf(entity.getEntityId()),
          self -> {
            shard.tell(new ClusterSharding.Passivate<>(self));
            return Behaviors.same();
          });
    });
  }
}
