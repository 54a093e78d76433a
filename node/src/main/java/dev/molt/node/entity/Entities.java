package dev.molt.node.entity;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import dev.molt.node.host.EntityMessenger;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.node.supervision.HostListing;
import dev.molt.protocol.envelope.Envelope;
import dev.molt.protocol.release.EntitySpec;
import dev.molt.protocol.release.ReleaseDescriptor;
import dev.molt.protocol.release.ReleaseId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's Cluster Sharding entity types: one region per type a current release declares, whose
 * entities are Molt hosts of the type's behaviour. Stable code (HTTP routes, other actors) reaches
 * an entity by type and id from any node with {@link #ref}; send it {@code Envelope}s (they cross
 * nodes and releases as data).
 *
 * <p>Akka cannot stop a region once started, so a type stays known to the node for its life, even
 * when a later release drops it: its entities are passivated and its messages refused (see {@link EntityHost}).
 */
public final class Entities implements Extension, EntityMessenger {
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
  /** Entity types of each application's current release: a type a later release dropped is refused. */
  private final Map<String, Set<String>> declared = new ConcurrentHashMap<>();
  /** The release that dropped each type it names (the region stays): said to every message refused for it. */
  private final Map<String, ReleaseId> droppedBy = new ConcurrentHashMap<>();
  /** The union of {@link #declared}, read for every {@link #ref}; replaced whole when a release becomes current. */
  private volatile Set<String> types = Set.of();
  private final HostListing listing = new HostListing();
  private volatile ActorRef<EntityRoster.Command> roster;

  private Entities(ActorSystem<?> system) {
    this.system = system;
    ReleaseRegistry.get(system).onCurrent(release -> start(release.descriptor()));
    EntityMessenger.register(system, this);
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
    if (key == null || !types().contains(entityType)) {
      throw new UnknownEntityTypeException(entityType, types(), droppedBy(entityType));
    }
    if (entityId == null || entityId.isEmpty()) {
      throw new IllegalArgumentException("entity id of type '" + entityType + "' must not be empty");
    }
    return ClusterSharding.get(system).entityRefFor(key, entityId);
  }

  /** {@link #ref} then tell: how hosts' code reaches entities ({@code BehaviourContext.tellEntity}). */
  @Override
  public void tell(String entityType, String entityId, Envelope message) {
    ref(entityType, entityId).tell(message);
  }

  /** The release whose becoming current on this node dropped {@code entityType}, empty when it is declared or never was. */
  public Optional<ReleaseId> droppedBy(String entityType) {
    return Optional.ofNullable(droppedBy.get(entityType));
  }

  /** The entity types the node's current release declares, sorted. */
  public Set<String> types() {
    return types;
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
    Set<String> types = new TreeSet<>();
    release.entities().forEach(e -> types.add(e.type()));
    types.forEach(droppedBy::remove);
    Set<String> dropped = new TreeSet<>(declared.getOrDefault(release.name(), Set.of()));
    dropped.removeAll(types);
    // Before the types change: a message refused for a dropped type names the release that dropped it.
    dropped.forEach(type -> droppedBy.put(type, release.id()));
    declared.put(release.name(), types);
    Set<String> all = new TreeSet<>();
    declared.values().forEach(all::addAll);
    this.types = java.util.Collections.unmodifiableSet(all);
    if (!dropped.isEmpty()) {
      long since = System.nanoTime();
      passivate(host -> dropped.contains(host.supervisor().substring(EntityHost.SUPERVISOR_PREFIX.length())))
          .thenAccept(stopped -> log.warn("release {} declares no entity type {}: {} live entities of them on this node "
              + "passivated in {} ms; messages to them are refused to their senders", release.id(), dropped, stopped,
              (System.nanoTime() - since) / 1_000_000));
    }
  }

  /**
   * Passivates the live entity hosts on this node that {@code which} selects, through their shards
   * (a suspended one after its resume); they start again on their next message, on the current
   * release, and messages sent meanwhile wait for that in the shard. Completes with their count once
   * every one of them has stopped.
   */
  public CompletionStage<Integer> passivate(Predicate<ApplicationTree.Host> which) {
    List<ActorRef<Object>> chosen = listing.all().stream().filter(which).map(ApplicationTree.Host::ref).toList();
    if (chosen.isEmpty()) {
      return CompletableFuture.completedFuture(0);
    }
    CompletableFuture<Void> gone = new CompletableFuture<>();
    // Watched before they are asked to go, so no stop is missed.
    roster.tell(new EntityRoster.WhenGone(chosen, gone));
    chosen.forEach(host -> host.tell(LeaveThroughShard.REQUEST));
    return gone.thenApply(done -> chosen.size());
  }

  /** Passivates one entity host through its shard (see {@link #passivate(Predicate)}); does not wait. */
  public static void passivate(ApplicationTree.Host host) {
    host.ref().tell(LeaveThroughShard.REQUEST);
  }

  /** Whether {@code host} is a sharded entity's (listed under {@code entity:<type>}). */
  public static boolean isEntity(ApplicationTree.Host host) {
    return host.supervisor().startsWith(EntityHost.SUPERVISOR_PREFIX);
  }
}
