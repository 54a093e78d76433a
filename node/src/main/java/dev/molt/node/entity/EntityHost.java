package dev.molt.node.entity;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.StashBuffer;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityContext;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.molt.node.host.HostActor;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import dev.molt.node.host.Passivate;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.node.supervision.HostListing;
import dev.molt.protocol.release.EntitySpec;

/**
 * One entity of a type, as its shard starts it. It becomes a Molt host on the first message that
 * is not a state read; a state read of an entity that does not run is answered "not running" and
 * starts nothing (the actor the shard made for it passivates at once).
 */
final class EntityHost {
  /** The pseudo-supervisor entity hosts of a type are listed under: {@code entity:<type>}. */
  static final String SUPERVISOR_PREFIX = "entity:";

  private final EntitySpec spec;
  private final EntityContext<Object> entity;
  private final ActorContext<Object> context;
  private final StashBuffer<Object> stash;
  private final HostListing listing;
  private final ActorRef<EntityRoster.Command> roster;
  private final ReleaseRegistry registry;

  private EntityHost(EntitySpec spec, EntityContext<Object> entity, ActorContext<Object> context,
      StashBuffer<Object> stash, HostListing listing, ActorRef<EntityRoster.Command> roster) {
    this.spec = spec;
    this.entity = entity;
    this.context = context;
    this.stash = stash;
    this.listing = listing;
    this.roster = roster;
    this.registry = ReleaseRegistry.get(context.getSystem());
  }

  static Behavior<Object> create(EntitySpec spec, EntityContext<Object> entity, HostListing listing,
      ActorRef<EntityRoster.Command> roster) {
    return Behaviors.setup(context -> {
      int capacity = ReleaseRegistry.get(context.getSystem()).settings().stashCapacity();
      return Behaviors.withStash(capacity, stash -> new EntityHost(spec, entity, context, stash, listing, roster).idle());
    });
  }

  /** Made by the shard, not yet a host. */
  private Behavior<Object> idle() {
    return Behaviors.receive(Object.class)
        .onMessage(HostCommand.GetState.class, read -> {
          notRunning(read);
          entity.getShard().tell(new ClusterSharding.Passivate<>(context.getSelf()));
          return leaving();
        })
        .onMessage(Passivate.class, p -> Behaviors.stopped())
        .onAnyMessage(message -> {
          if (!Entities.get(context.getSystem()).types().contains(spec.type())) {
            return undeclared(message);
          }
          stash.stash(message);
          return start();
        })
        .build();
  }

  /**
   * The current release dropped the type (a region cannot be stopped): the message is refused to its
   * sender, naming the type and the release that dropped it, and the actor goes. Messages the shard
   * delivers meanwhile are refused the same way by the next incarnation (see {@link #leaving}).
   */
  private Behavior<Object> undeclared(Object message) {
    String reason = "entity type '" + spec.type() + "' " + Entities.get(context.getSystem()).droppedBy(spec.type())
        .map(release -> "was dropped by release " + release).orElse("is not declared by the current release")
        + " on this node: " + path() + " does not run";
    DroppedTypeRefusal.refuse(context, path(), message, reason);
    entity.getShard().tell(new ClusterSharding.Passivate<>(context.getSelf()));
    return leaving();
  }

  private String path() {
    return spec.type() + "/" + entity.getEntityId();
  }

  /**
   * Asked the shard to passivate it without having become a host (after a state read, or a refusal
   * for a dropped type). Messages the shard delivered before it took
   * the request are kept, and sent again through sharding when the stop comes: the shard buffers
   * them and starts the entity for them (after the ones it buffered meanwhile).
   */
  private Behavior<Object> leaving() {
    return Behaviors.receive(Object.class)
        .onMessage(HostCommand.GetState.class, read -> {
          notRunning(read);
          return Behaviors.same();
        })
        .onMessage(Passivate.class, p -> {
          if (!stash.isEmpty()) {
            context.getLog().info("entity {}/{}: {} message(s) that arrived while it was leaving sent again through sharding",
                spec.type(), entity.getEntityId(), stash.size());
            // Not Entities.ref: a type the current release dropped is refused there, and its messages are refused here.
            var self = ClusterSharding.get(context.getSystem())
                .entityRefFor(EntityTypeKey.create(Object.class, spec.type()), entity.getEntityId());
            stash.forEach(self::tell);
          }
          return Behaviors.stopped();
        })
        .onAnyMessage(message -> {
          if (stash.isFull()) {
            registry.counters().stashOverflow();
            context.getLog().warn("entity {}/{} is leaving without having run and holds {} messages already: "
                + "message to dead letters", spec.type(), entity.getEntityId(), stash.capacity());
            context.getSystem().deadLetters().tell(message);
          } else {
            stash.stash(message);
          }
          return Behaviors.same();
        })
        .build();
  }

  /**
   * Lists the host (under the registry's spawn order) before it picks its code, so an install that
   * made a release current either finds it and changes it, or it starts on the new code.
   */
  private Behavior<Object> start() {
    ApplicationTree.Host host = new ApplicationTree.Host(SUPERVISOR_PREFIX + spec.type(), entity.getEntityId(),
        spec.behaviour(), context.getSelf());
    registry.spawnListed(() -> {
      listing.add(host);
      return null;
    });
    roster.tell(new EntityRoster.Listed(host));
    var shard = entity.getShard();
    return stash.unstashAll(LeaveThroughShard.around(shard, HostActor.entity(spec.behaviour(),
        TextNode.valueOf(entity.getEntityId()), self -> {
          shard.tell(new ClusterSharding.Passivate<>(self));
          return Behaviors.same();
        })));
  }

  private void notRunning(HostCommand.GetState read) {
    read.replyTo().tell(new HostReply.Failed(spec.type() + "/" + entity.getEntityId(), "get-state",
        HostReply.Reason.NOT_RUNNING, "entity " + spec.type() + "/" + entity.getEntityId()
            + " is not running; it starts on its first message"));
  }
}
