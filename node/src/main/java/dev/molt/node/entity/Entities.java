package dev.molt.node.entity;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.supervision.HostListing;
import dev.molt.protocol.release.EntitySpec;
import dev.molt.protocol.release.ReleaseDescriptor;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's Cluster Sharding entity types: one region per type a current release declares, whose
 * entities are Molt hosts of the type's behaviour. Stable code (HTTP routes, other actors) reaches
 * an entity by type and id from any node with {@link #ref}; send it {@code Envelope}s (they cross
 * nodes and releases as data).
 *
 * <p>Akka cannot stop a region once started, so a type stays known to the node for its life, even
 * when a later release drops it (see {@link EntityHostFactory}).
 */
public final class Entities implements Extension {
  private static final Logger log = LoggerFactory.getLogger(Entities.class);

  public static final ExtensionId<Entities> ID =
      new ExtensionId<>() {
        @Override
        public Entities createExtension(ActorSystem<?> system) {
          return new Entities(system);
        }
      };

  private final ActorSystem<?> system;
  private final Map<String, EntityTypeKey<Object>> regions = new ConcurrentHashMap<>();
  private final HostListing listing = new HostListing();
  private ActorRef<EntityRoster.Command> roster;

  private Entities(ActorSystem<?> system) {
    this.system = system;
    ReleaseRegistry.get(system).onCurrent(release -> start(release.descriptor()));
  }

  /** The live entity hosts on this node, listed under {@code entity:<type>}; trees include them. */
  public HostListing hosts() {
    return listing;
  }

  public static Entities get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /**
   * The entity {@code entityId} of {@code entityType}, wherever in the cluster it lives (started
   * on its first message).
   *
   * @throws UnknownEntityTypeException no release this node ran declares the type
   */
  public EntityRef<Object> ref(String entityType, String entityId) {
    EntityTypeKey<Object> key = regions.get(entityType);
    if (key == null) {
      throw new UnknownEntityTypeException(entityType, types());
    }
    if (entityId == null || entityId.isEmpty()) {
      throw new IllegalArgumentException("entity id of type '" + entityType + "' must not be empty");
    }
    return ClusterSharding.get(system).entityRefFor(key, entityId);
  }

  /** The entity types whose regions run on this node, sorted. */
  public Set<String> types() {
    return new TreeSet<>(regions.keySet());
  }

  /**
   * Starts the region of every entity type {@code release} declares that has none yet. Called when
   * a release becomes current (and at boot), before hosts of it can be asked for.
   */
  public synchronized void start(ReleaseDescriptor release) {
    if (!release.entities().isEmpty() && !(system.classicSystem() instanceof akka.actor.ExtendedActorSystem extended
        && extended.provider() instanceof akka.cluster.ClusterActorRefProvider)) {
      throw new IllegalStateException("release " + release.id() + " declares entity types " + release.entities().stream()
          .map(EntitySpec::type).toList() + ", which need Cluster Sharding: set akka.actor.provider = cluster");
    }
    for (EntitySpec spec : release.entities()) {
      if (regions.containsKey(spec.type())) {
        continue;
      }
      long started = System.nanoTime();
      if (roster == null) {
        roster = system.systemActorOf(EntityRoster.create(listing), "molt-entity-roster", akka.actor.typed.Props.empty());
      }
      EntityTypeKey<Object> key = EntityHostFactory.init(system, spec, listing, roster);
      regions.put(spec.type(), key);
      log.info("entity type '{}' ({}): region started behaviour={} shards={} passivateAfter={}s took={}ms",
          spec.type(), release.id(), spec.behaviour(), spec.shards(), spec.passivateAfterSeconds(),
          (System.nanoTime() - started) / 1_000_000);
    }
  }
}
