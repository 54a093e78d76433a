package dev.molt.node.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ddata.LWWMap;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.ddata.typed.javadsl.Replicator;
import akka.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import dev.molt.node.envelope.SchemaFloors;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.protocol.control.ControlMessages.Ack;
import dev.molt.protocol.release.ReleaseId;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Applies the cluster's write schema floor ({@link ClusterSchemaFloor#KEY}) to this node's {@link
 * SchemaFloors}: on every change gossip brings, and on the orchestrator's request ({@link Apply})
 * after a majority read, which sees the orchestrator's majority write (the two majorities overlap)
 * and so confirms the node applies it before any install that mixes versions.
 *
 * <p>Everything seen is merged into one state (a CRDT merge is order-insensitive): a change
 * notification that arrives after the majority read, but carries an older state, cannot take the
 * confirmed floor back.
 */
final class SchemaFloorFollower {

  sealed interface Msg {}

  /** Apply the cluster's floor now and answer whether it is {@code floor}. */
  record Apply(ReleaseId floor, ActorRef<Ack> replyTo) implements Msg {}

  private record Changed(Replicator.SubscribeResponse<LWWMap<String, String>> response) implements Msg {}

  private record Read(Apply request, long startedNanos, Replicator.GetResponse<LWWMap<String, String>> response)
      implements Msg {}

  static Behavior<Msg> create(Duration readTimeout) {
    return Behaviors.setup(context -> DistributedData.<Msg, LWWMap<String, String>>withReplicatorMessageAdapter(replicator -> {
      replicator.subscribe(ClusterSchemaFloor.KEY, Changed::new);
      return new SchemaFloorFollower(context, replicator, readTimeout).behaviour();
    }));
  }

  private final ActorContext<Msg> context;
  private final ReplicatorMessageAdapter<Msg, LWWMap<String, String>> replicator;
  private final Duration readTimeout;
  private final SchemaFloors floors;
  private final ReleaseRegistry registry;
  private final String node;
  /** Every state of the key seen, merged. */
  private LWWMap<String, String> known = LWWMap.create();
  /** Applications whose floor this follower set (a floor set by hand through the node agent is not lifted here). */
  private final Set<String> applied = new HashSet<>();
  /** Applications whose floor this node cannot apply, with why. */
  private final Map<String, String> refused = new HashMap<>();

  private SchemaFloorFollower(ActorContext<Msg> context, ReplicatorMessageAdapter<Msg, LWWMap<String, String>> replicator,
      Duration readTimeout) {
    this.context = context;
    this.replicator = replicator;
    this.readTimeout = readTimeout;
    this.floors = SchemaFloors.get(context.getSystem());
    this.registry = ReleaseRegistry.get(context.getSystem());
    this.node = NodeName.of(context.getSystem());
  }

  private Behavior<Msg> behaviour() {
    return Behaviors.receive(Msg.class)
        .onMessage(Changed.class, c -> {
          if (c.response() instanceof Replicator.Changed<LWWMap<String, String>> changed) {
            merge(changed.get(ClusterSchemaFloor.KEY));
          }
          return Behaviors.same();
        })
        .onMessage(Apply.class, a -> {
          long started = System.nanoTime();
          replicator.askGet(r -> new Replicator.Get<>(ClusterSchemaFloor.KEY, new Replicator.ReadMajority(readTimeout), r),
              response -> new Read(a, started, response));
          return Behaviors.same();
        })
        .onMessage(Read.class, this::read)
        .build();
  }

  private Behavior<Msg> read(Read read) {
    long ms = (System.nanoTime() - read.startedNanos()) / 1_000_000;
    String why;
    if (read.response() instanceof Replicator.GetSuccess<LWWMap<String, String>> success) {
      merge(success.get(ClusterSchemaFloor.KEY));
      String app = read.request().floor().name();
      why = refused.get(app);
      if (why != null && registry.current(app).isEmpty()) {
        // A node running nothing of the application (e.g. one that joined mid-rollout) writes none of its messages.
        context.getLog().info("schema floor of {}: {} not applied, and not needed: this node runs no release of {}", app,
            read.request().floor(), app);
        read.request().replyTo().tell(new Ack(node, true, null));
        return Behaviors.same();
      }
    } else if (read.response() instanceof Replicator.NotFound<?>) {
      why = "a majority of nodes holds no schema floor at all";
    } else {
      // Only a majority read proves this node saw the orchestrator's write: the local replica may lag.
      why = "its read of the cluster's schema floor from a majority of nodes did not complete within "
          + readTimeout.toMillis() + " ms (molt.agent.schema-floor-read-timeout)";
    }
    answer(read.request(), why, ms);
    return Behaviors.same();
  }

  /** Ok when the floor in force for the application is the one asked; otherwise why not. */
  private void answer(Apply request, String refusal, long ms) {
    ReleaseId wanted = request.floor();
    var now = floors.floor(wanted.name());
    String why = refusal != null ? refusal
        : now.filter(wanted::equals).isPresent() ? null
        : "the cluster's schema floor (read from a majority) is " + now.map(ReleaseId::toString).orElse("none")
            + ", not " + wanted;
    if (why == null) {
      context.getLog().info("schema floor of {}: {} confirmed on this node after a majority read in {} ms", wanted.name(),
          wanted, ms);
      request.replyTo().tell(new Ack(node, true, null));
    } else {
      context.getLog().warn("schema floor of {}: {} not confirmed on this node: {}", wanted.name(), wanted, why);
      request.replyTo().tell(new Ack(node, false, node + " cannot apply schema floor " + wanted + ": " + why));
    }
  }

  /** Merges {@code seen} into what is known and makes {@link SchemaFloors} follow the result. */
  private void merge(LWWMap<String, String> seen) {
    known = known.merge(seen);
    Map<String, String> wanted = known.getEntries();
    for (String app : Set.copyOf(applied)) {
      if (!wanted.containsKey(app)) {
        floors.lift(app);
        applied.remove(app);
      }
    }
    refused.clear();
    wanted.forEach((app, version) -> {
      ReleaseId release = new ReleaseId(app, version);
      if (floors.floor(app).filter(release::equals).isPresent()) {
        return;
      }
      try {
        floors.set(release);
        applied.add(app);
      } catch (IllegalArgumentException e) {
        // This node cannot know what that release reads; it keeps writing as before and says so.
        context.getLog().warn("cluster schema floor {} not applied on this node: {}", release, e.getMessage());
        refused.put(app, e.getMessage());
      }
    });
  }
}
