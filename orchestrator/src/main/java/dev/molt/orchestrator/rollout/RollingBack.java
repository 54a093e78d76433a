package dev.molt.orchestrator.rollout;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.molt.orchestrator.rollout.RunnerProtocol.AgentsNow;
import dev.molt.orchestrator.rollout.RunnerProtocol.Msg;
import dev.molt.orchestrator.rollout.RunnerProtocol.RollbackStatus;
import dev.molt.orchestrator.rollout.RunnerProtocol.RolledBack;
import dev.molt.orchestrator.rollout.RunnerProtocol.RolledBackPermanent;
import dev.molt.orchestrator.rollout.RunnerProtocol.RunControl;
import dev.molt.protocol.control.AgentRequest;
import dev.molt.protocol.control.ControlMessages.Ack;
import dev.molt.protocol.control.ControlMessages.InstallRequest;
import dev.molt.protocol.control.ControlMessages.InstallResult;
import dev.molt.protocol.control.ControlMessages.PermanentRequest;
import dev.molt.protocol.release.ReleaseId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link RolloutRunner}'s rollback phase: the nodes that installed, or whose install outcome is
 * unknown, go back one at a time, the last upgraded first, each after its settled status (it may
 * still be finishing the install, or never ran it); then the previous release is made permanent
 * again where it was. A node removed from the cluster cannot be rolled back: its restart boots the
 * permanent release, still the old one. Only {@code abort} applies meanwhile.
 */
final class RollingBack {
  private static final Set<ControlAction> ALLOWED = EnumSet.of(ControlAction.ABORT);

  private final RunState run;

  RollingBack(RunState run) {
    this.run = run;
  }

  Behavior<Msg> start(Rollout rollout) {
    run.update(rollout.withPhase(RolloutPhase.ROLLING_BACK));
    return next();
  }

  /** Rolls back the next node, or makes the previous release permanent again when none is left. */
  Behavior<Msg> next() {
    Rollout rollout = run.rollout;
    for (String node : reversed(rollout.toRollBack())) {
      ReleaseId back = rollout.previous().get(node);
      ActorRef<AgentRequest> agent = run.agents.get(node);
      if (back == null || agent == null) {
        String why = back == null ? "it ran no release before" : "it was removed from the cluster (cluster membership)";
        run.context.getLog().warn("rollout={} node={} step=rollback skipped: {}", rollout.id(), node, why);
        run.update(rollout.withNode(rollout.nodes().get(node).rolledBack(NodeOutcome.Status.NOT_ROLLED_BACK, why)));
        return next();
      }
      if (run.unreachable.contains(node)) {
        run.context.getLog().warn("rollout={} node={} step=rollback waits: the node is unreachable (cluster membership)",
            rollout.id(), node);
      }
      // Nodes staying on the newer release must write what this node will read again.
      return ConfirmingFloor.confirm(run, ALLOWED, RunnerProtocol.AfterBatch.CONTINUE, after -> run.agents.containsKey(node) ? settle(node, run.agents.get(node)) : next(),
          this::halted);
    }
    var targets = run.agentsOf(rollout.nodes().entrySet().stream()
        .filter(e -> e.getValue().status() == NodeOutcome.Status.ROLLED_BACK).map(java.util.Map.Entry::getKey).toList());
    run.context.spawnAnonymous(Gather.create(targets, Ack.class,
        (node, r) -> new PermanentRequest(rollout.previous().get(node), r), run.settings.ask(), run.context.getSelf(),
        RolledBackPermanent::new));
    return Behaviors.receive(Msg.class)
        .onMessage(AgentsNow.class, run::onAgents)
        .onMessage(MembershipEvent.class, run::onMembership)
        .onMessage(RolledBackPermanent.class, r -> {
          List<String> failed = RunState.failedAcks(r.acks());
          if (!failed.isEmpty()) {
            run.context.getLog().warn("rollout={} step=make-permanent after rollback failed on {}", rollout.id(), failed);
          }
          return run.finish(run.rollout.withPhase(RolloutPhase.ROLLED_BACK));
        })
        .onMessage(RunControl.class, c -> run.control(c, ALLOWED, Behaviors.same(), a -> run.abort()))
        .build();
  }

  private Behavior<Msg> settle(String node, ActorRef<AgentRequest> agent) {
    ActorRef<Object> settling = run.context.spawnAnonymous(SettledStatus.create(agent, run.settings.ask(),
        run.settings.settledRetry(), run.settings.install(), run.context.getSelf(),
        (status, failure) -> new RollbackStatus(node, status, failure)));
    return node(node, settling);
  }

  /** The floor is not confirmed: installing the older release now could make it misread the newer nodes. */
  private Behavior<Msg> halted(String why) {
    run.context.getLog().error("rollout={} step=rollback halted: {}; waiting for a human (rollback or abort)",
        run.rollout.id(), why);
    return run.finish(run.rollout.withError("rollback halted: " + why).withPhase(RolloutPhase.FAILED));
  }

  /** Rolling back {@code node}: its settled status first ({@code settling} asks), then its install of the previous release. */
  private Behavior<Msg> node(String node, ActorRef<Object> settling) {
    return Behaviors.receive(Msg.class)
        .onMessage(AgentsNow.class, run::onAgents)
        .onMessage(RollbackStatus.class, s -> s.node().equals(node), this::settled)
        .onMessage(RolledBack.class, r -> r.node().equals(node), this::rolledBack)
        .onMessage(MembershipEvent.class, e -> {
          run.track(e);
          if (e instanceof MembershipEvent.Gone g && g.node().equals(node)) {
            String why = MembershipEvent.goneReason(node, g.how(), "rollback");
            run.context.getLog().warn("rollout={} node={} step=rollback not possible: {}", run.rollout.id(), node, why);
            run.context.stop(settling);
            run.update(run.rollout.withNode(run.rollout.nodes().get(node).rolledBack(NodeOutcome.Status.NOT_ROLLED_BACK, why)));
            return next();
          }
          return Behaviors.same();
        })
        .onMessage(RunControl.class, c -> run.control(c, ALLOWED, Behaviors.same(), a -> run.abort()))
        .build();
  }

  private Behavior<Msg> settled(RollbackStatus s) {
    Rollout rollout = run.rollout;
    ReleaseId back = rollout.previous().get(s.node());
    if (s.failure() != null) {
      return rolledBack(new RolledBack(s.node(), null, new IllegalStateException(s.failure())));
    }
    if (back.equals(s.status().running())) {
      run.context.getLog().info("rollout={} node={} step=rollback to={}: already on it (its install did not happen or reverted)",
          rollout.id(), s.node(), back);
      run.update(rollout.withNode(rollout.nodes().get(s.node()).rolledBack(NodeOutcome.Status.ROLLED_BACK)));
      return next();
    }
    run.context.ask(InstallResult.class, run.agents.get(s.node()), run.settings.install(),
        r -> new InstallRequest(back, rollout.spec().mode(), r),
        (result, failure) -> new RolledBack(s.node(), result, failure));
    return Behaviors.same();
  }

  private Behavior<Msg> rolledBack(RolledBack r) {
    Rollout rollout = run.rollout;
    NodeOutcome before = rollout.nodes().get(r.node());
    if (r.failure() != null || !r.result().ok()) {
      String why = r.failure() != null ? r.failure().getMessage() : r.result().reason();
      run.context.getLog().error("rollout={} node={} step=rollback to={} failed: {}", rollout.id(), r.node(),
          rollout.previous().get(r.node()), why);
      run.update(rollout.withNode(before.rolledBack(NodeOutcome.Status.ROLLBACK_FAILED)));
    } else {
      run.context.getLog().info("rollout={} node={} step=rollback from={} to={} actors={} took={}ms", rollout.id(), r.node(),
          rollout.target().version(), r.result().release().version(), r.result().actors(), r.result().tookMillis());
      run.update(rollout.withNode(before.rolledBack(NodeOutcome.Status.ROLLED_BACK)));
    }
    return next();
  }

  static List<String> reversed(List<String> nodes) {
    List<String> copy = new ArrayList<>(nodes);
    Collections.reverse(copy);
    return copy;
  }
}
