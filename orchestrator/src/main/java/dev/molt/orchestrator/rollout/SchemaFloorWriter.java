package dev.molt.orchestrator.rollout;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ddata.LWWMap;
import akka.cluster.ddata.SelfUniqueAddress;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.ddata.typed.javadsl.Replicator;
import akka.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import dev.molt.node.cluster.ClusterSchemaFloor;
import dev.molt.protocol.release.ReleaseId;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * Keeps the cluster-wide write schema floor ({@link ClusterSchemaFloor}, Distributed Data) in step
 * with the rollout the orchestrator saves: set to the oldest running release while nodes may be
 * mixed, lifted once one release is permanent everywhere ({@link SchemaFloorPolicy}). Writes to a
 * majority only when the decision changes; every node applies it to its own hosts' envelopes.
 */
final class SchemaFloorWriter {

  sealed interface Message {}

  /** The rollout as the orchestrator just saved it. */
  record Saved(Rollout rollout) implements Message {}

  /**
   * A runner about to confirm {@code floor} on the nodes: write it with a majority (again, if it
   * was), so that each node's majority read sees it, and answer when a majority has it or why not.
   */
  record Ensure(String rollout, ReleaseId floor, ActorRef<Ensured> replyTo) implements Message {}

  /** @param failure null when a majority has the floor */
  record Ensured(ReleaseId floor, String failure) {}

  /** {@code replyTo}: the runner waiting for this write, or null. */
  private record Written(SchemaFloorPolicy.Decision decision, ActorRef<Ensured> replyTo,
      Replicator.UpdateResponse<LWWMap<String, String>> response) implements Message {}

  static Behavior<Message> create(Duration majority) {
    return Behaviors.setup(context -> DistributedData.<Message, LWWMap<String, String>>withReplicatorMessageAdapter(
        replicator -> new SchemaFloorWriter(context, replicator, majority).following(null)));
  }

  private final ActorContext<Message> context;
  private final Duration majority;
  private final SelfUniqueAddress self;
  private final ReplicatorMessageAdapter<Message, LWWMap<String, String>> replicator;

  private SchemaFloorWriter(ActorContext<Message> context, ReplicatorMessageAdapter<Message, LWWMap<String, String>> replicator,
      Duration majority) {
    this.context = context;
    this.majority = majority;
    this.self = DistributedData.get(context.getSystem()).selfUniqueAddress();
    this.replicator = replicator;
  }

  /** {@code written}: the last decision sent to the replicator, null before the first. */
  private Behavior<Message> following(SchemaFloorPolicy.Decision written) {
    return Behaviors.receive(Message.class)
        .onMessage(Saved.class, s -> {
          SchemaFloorPolicy.Decision decision = SchemaFloorPolicy.of(s.rollout());
          if (decision instanceof SchemaFloorPolicy.Keep || decision.equals(written)) {
            return Behaviors.same();
          }
          write(decision, s.rollout().id(), null, true);
          return following(decision);
        })
        .onMessage(Ensure.class, e -> {
          SchemaFloorPolicy.Decision decision = new SchemaFloorPolicy.Set(e.floor());
          // Written again even when it was: only an answered majority write proves a majority has it.
          write(decision, e.rollout(), e.replyTo(), !decision.equals(written));
          return following(decision);
        })
        .onMessage(Written.class, w -> {
          boolean majorityHasIt = w.response() instanceof Replicator.UpdateSuccess;
          if (!majorityHasIt) {
            // The local replica has it and gossip spreads it; a majority did not confirm in time.
            context.getLog().warn("schema floor {} not confirmed by a majority: {}", w.decision(), w.response());
          }
          if (w.replyTo() != null && w.decision() instanceof SchemaFloorPolicy.Set set) {
            w.replyTo().tell(new Ensured(set.floor(), majorityHasIt ? null : "not written to a majority of nodes within "
                + majority.toMillis() + " ms (molt.orchestrator.store.majority-timeout): " + w.response()));
          }
          return Behaviors.same();
        })
        .build();
  }

  /** {@code announce}: an INFO line, once per change of the decision. */
  private void write(SchemaFloorPolicy.Decision decision, String rollout, ActorRef<Ensured> replyTo, boolean announce) {
    UnaryOperator<LWWMap<String, String>> change;
    if (decision instanceof SchemaFloorPolicy.Set set) {
      change = current -> ClusterSchemaFloor.set(current, self, set.floor());
    } else if (decision instanceof SchemaFloorPolicy.Lift lift) {
      change = current -> ClusterSchemaFloor.lift(current, self, lift.application());
    } else {
      return;
    }
    if (announce) {
      context.getLog().info("rollout={} cluster schema floor: {}", rollout, decision);
    }
    replicator.askUpdate(r -> new Replicator.Update<>(ClusterSchemaFloor.KEY, LWWMap.create(),
        new Replicator.WriteMajority(majority), r, change::apply), response -> new Written(decision, replyTo, response));
  }
}
