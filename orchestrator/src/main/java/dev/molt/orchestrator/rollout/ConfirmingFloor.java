package dev.molt.orchestrator.rollout;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import dev.molt.orchestrator.rollout.RunnerProtocol.AfterBatch;
import dev.molt.orchestrator.rollout.RunnerProtocol.AgentsNow;
import dev.molt.orchestrator.rollout.RunnerProtocol.FloorApplied;
import dev.molt.orchestrator.rollout.RunnerProtocol.FloorWritten;
import dev.molt.orchestrator.rollout.RunnerProtocol.Msg;
import dev.molt.orchestrator.rollout.RunnerProtocol.RunControl;
import dev.molt.protocol.control.AgentRequest;
import dev.molt.protocol.control.ControlMessages.Ack;
import dev.molt.protocol.control.ControlMessages.ApplySchemaFloor;
import dev.molt.protocol.release.ReleaseId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A {@link RolloutRunner}'s step before installs that mix versions (each batch, each node of a
 * rollback): every member node applies the write schema floor {@link SchemaFloorPolicy} decides
 * before any node runs another release, so that no node writes a message shape another cannot read.
 * The floor is written to Distributed Data with a majority ({@link SchemaFloorWriter}), then each
 * node confirms it after a majority read ({@code ApplySchemaFloor}); gossip alone reached the nodes
 * 0.1-0.4 s after the first install. Nodes that confirmed this floor are not asked again.
 *
 * <p>A node that refuses (it lacks the floor release), does not answer in {@code ask-timeout}, or
 * stays unreachable past {@code unreachable-wait} fails the step naming it; nothing is installed. A
 * node that leaves the cluster needs no floor. A pause or rollback asked meanwhile is handed on when
 * the step ends, before anything installs.
 */
final class ConfirmingFloor {
  private final RunState run;
  private final ReleaseId floor;
  private final Set<ControlAction> allowed;
  private final Function<AfterBatch, Behavior<Msg>> then;
  private final Function<String, Behavior<Msg>> failed;
  private final Set<String> pending = new TreeSet<>();
  private final Map<String, String> refused = new LinkedHashMap<>();
  private final long started = System.nanoTime();
  /** A pause or rollback asked before or during the step, handed on when it ends. */
  private AfterBatch after;

  private ConfirmingFloor(RunState run, ReleaseId floor, Set<ControlAction> allowed, AfterBatch asked,
      Function<AfterBatch, Behavior<Msg>> then, Function<String, Behavior<Msg>> failed) {
    this.run = run;
    this.floor = floor;
    this.allowed = allowed;
    this.after = asked;
    this.then = then;
    this.failed = failed;
  }

  /**
   * Confirms the floor on every member that has not yet, then continues with {@code then} (given
   * {@code asked}, or a pause or rollback asked meanwhile); at once when there is nothing to confirm. {@code failed}
   * gets the reason naming each node that did not confirm.
   */
  static Behavior<Msg> confirm(RunState run, Set<ControlAction> allowed, AfterBatch asked,
      Function<AfterBatch, Behavior<Msg>> then, Function<String, Behavior<Msg>> failed) {
    if (!(SchemaFloorPolicy.of(run.rollout) instanceof SchemaFloorPolicy.Set set)) {
      return then.apply(asked);
    }
    if (!set.floor().equals(run.floorConfirmed)) {
      run.floorConfirmed = null;
      run.floorConfirmedOn.clear();
    }
    if (run.floorConfirmedOn.containsAll(members(run).keySet())) {
      return then.apply(asked);
    }
    return new ConfirmingFloor(run, set.floor(), allowed, asked, then, failed).writing();
  }

  private Behavior<Msg> writing() {
    run.context.ask(SchemaFloorWriter.Ensured.class, run.floorWriter, run.settings.ask(),
        r -> new SchemaFloorWriter.Ensure(run.rollout.id(), floor, r), (ensured, failure) -> new FloorWritten(floor, ensured, failure));
    return Behaviors.receive(Msg.class)
        .onMessage(AgentsNow.class, run::onAgents)
        .onMessage(FloorWritten.class, w -> w.floor().equals(floor), this::written)
        .onMessage(MembershipEvent.class, run::onMembership)
        .onMessage(RunControl.class, this::control)
        .build();
  }

  private Behavior<Msg> written(FloorWritten w) {
    String why = w.failure() != null ? w.failure().getMessage() : w.ensured().failure();
    if (why != null) {
      run.context.getLog().error("rollout={} step=schema-floor floor={} failed: {}", run.rollout.id(), floor, why);
      return failed.apply("schema floor " + floor + " " + why);
    }
    members(run).forEach((node, agent) -> {
      if (!run.floorConfirmedOn.contains(node)) {
        pending.add(node);
        ask(node, agent);
        if (run.unreachable.contains(node)) {
          run.waitFor(node);
        }
      }
    });
    return confirming();
  }

  /**
   * The agents on nodes this node's membership lists (not down, exiting or removed). The
   * Receptionist may still list a node that was removed before this singleton started (a failover):
   * it can write nothing, and would never answer.
   */
  private static Map<String, ActorRef<AgentRequest>> members(RunState run) {
    Map<String, ActorRef<AgentRequest>> members = new TreeMap<>();
    Set<akka.actor.Address> up = new java.util.HashSet<>();
    run.agents.forEach((node, agent) -> {
      akka.actor.Address address = agent.path().address();
      if (address.getHost().isPresent() && up.isEmpty()) {
        Cluster.get(run.context.getSystem()).state().getMembers().forEach(m -> {
          if (m.status() != MemberStatus.down() && m.status() != MemberStatus.exiting()
              && m.status() != MemberStatus.removed()) {
            up.add(m.address());
          }
        });
      }
      if (address.getHost().isEmpty() || up.contains(address)) { // no host: this node's own agent
        members.put(node, agent);
      }
    });
    return members;
  }

  private void ask(String node, ActorRef<AgentRequest> agent) {
    run.context.ask(Ack.class, agent, run.settings.ask(), r -> new ApplySchemaFloor(floor, r),
        (ack, failure) -> new FloorApplied(floor, node, ack, failure));
  }

  private Behavior<Msg> confirming() {
    return Behaviors.receive(Msg.class)
        .onMessage(AgentsNow.class, run::onAgents)
        .onMessage(FloorApplied.class, a -> a.floor().equals(floor) && pending.contains(a.node()), this::applied)
        .onMessage(MembershipEvent.class, this::membership)
        .onMessage(RunControl.class, this::control)
        .build();
  }

  private Behavior<Msg> applied(FloorApplied a) {
    String node = a.node();
    if (a.failure() != null && run.unreachable.contains(node) && run.agents.containsKey(node)) {
      // Membership decides for an unreachable node: it may answer once reachable, or its wait ends.
      ask(node, run.agents.get(node));
      return Behaviors.same();
    }
    pending.remove(node);
    if (a.failure() != null) {
      refused.put(node, "no answer from " + node + " within " + run.settings.ask().toSeconds()
          + " s (molt.orchestrator.ask-timeout; an agent older than control protocol 4 cannot read ApplySchemaFloor)");
    } else if (!a.ack().ok()) {
      refused.put(node, a.ack().error());
    } else {
      run.floorConfirmedOn.add(node);
    }
    return pending.isEmpty() ? done() : Behaviors.same();
  }

  private Behavior<Msg> membership(MembershipEvent e) {
    if (e instanceof MembershipEvent.Gone && pending.contains(e.node())) {
      run.track(e);
      pending.remove(e.node());
      run.context.getLog().info("rollout={} node={} step=schema-floor: left the cluster ({}), it needs no floor",
          run.rollout.id(), e.node(), ((MembershipEvent.Gone) e).how());
      return pending.isEmpty() ? done() : Behaviors.same();
    }
    String why = run.stepFailure(e, pending, "schema floor confirmation");
    if (why != null) {
      pending.remove(e.node());
      refused.put(e.node(), why);
      return pending.isEmpty() ? done() : Behaviors.same();
    }
    return Behaviors.same();
  }

  private Behavior<Msg> done() {
    long ms = (System.nanoTime() - started) / 1_000_000;
    if (!refused.isEmpty()) {
      run.context.getLog().error("rollout={} step=schema-floor schema floor of {}: {} not confirmed on {}; nothing installed: {}",
          run.rollout.id(), floor.name(), floor, refused.keySet(), refused.values());
      return failed.apply("schema floor " + floor + " not confirmed on " + refused.keySet() + ": "
          + String.join("; ", refused.values()));
    }
    run.floorConfirmed = floor;
    run.context.getLog().info("rollout={} step=schema-floor schema floor of {}: {} confirmed on {}/{} nodes in {} ms",
        run.rollout.id(), floor.name(), floor, run.floorConfirmedOn.size(), members(run).size(), ms);
    return then.apply(after);
  }

  /** Abort at once; pause and rollback are handed on once the step ends. */
  private Behavior<Msg> control(RunControl c) {
    return run.control(c, allowed, Behaviors.same(), action -> {
      switch (action) {
        case PAUSE -> after = AfterBatch.PAUSE;
        case ROLLBACK -> after = AfterBatch.ROLL_BACK;
        default -> {
          return run.abort();
        }
      }
      run.context.getLog().info("rollout={} step={}-requested: after the schema floor step", run.rollout.id(), action);
      return Behaviors.same();
    });
  }
}
