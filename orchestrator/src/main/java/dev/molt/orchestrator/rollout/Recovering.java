package dev.molt.orchestrator.rollout;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.molt.orchestrator.rollout.RunnerProtocol.AfterBatch;
import dev.molt.orchestrator.rollout.RunnerProtocol.AgentsNow;
import dev.molt.orchestrator.rollout.RunnerProtocol.Msg;
import dev.molt.orchestrator.rollout.RunnerProtocol.RecoverNow;
import dev.molt.orchestrator.rollout.RunnerProtocol.RecoveryStatuses;
import dev.molt.orchestrator.rollout.RunnerProtocol.RunControl;
import dev.molt.protocol.control.AgentRequest;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link RolloutRunner}'s first phase when a new singleton continues a rollout it read from
 * Distributed Data: after {@code molt.orchestrator.recover-settle} it asks every node where it is,
 * then continues the rollout's phase from there ({@link Recovery} decides which batch). Controls
 * asked meanwhile are stashed (503 once the stash is full) and answered by the phase it continues in.
 */
final class Recovering {
  private final RunState run;
  private final RolloutRunner runner;

  Recovering(RunState run, RolloutRunner runner) {
    this.run = run;
    this.runner = runner;
  }

  Behavior<Msg> start() {
    run.timers.startSingleTimer(new RecoverNow(), run.settings.recoverSettle());
    return Behaviors.withStash(run.settings.stashCapacity(), stash -> Behaviors.receive(Msg.class)
        .onMessage(AgentsNow.class, run::onAgents)
        .onMessage(RecoverNow.class, r -> run.gatherStatuses(run.agents, RecoveryStatuses::new))
        .onMessage(RecoveryStatuses.class, s -> stash.unstashAll(resume(s.statuses())))
        .onMessage(MembershipEvent.class, run::onMembership)
        .onMessage(RunControl.class, c -> {
          if (stash.isFull()) {
            c.replyTo().tell(new OrchestratorProtocol.Problem(503, "orchestrator recovering",
                "the rollout is being recovered; try again"));
          } else {
            stash.stash(c);
          }
          return Behaviors.same();
        })
        .build());
  }

  /** Continues the recovered rollout in its phase, from where the nodes are now. */
  private Behavior<Msg> resume(Gather.Gathered<NodeStatus> statuses) {
    Rollout rollout = run.rollout;
    run.baseline.putAll(statuses.answers());
    if (rollout.phase() == RolloutPhase.ROLLING_BACK) {
      return new RollingBack(run).next();
    }
    if (rollout.phase() == RolloutPhase.PAUSED) {
      return runner.paused();
    }
    Rollout recovered = Recovery.withUnsavedInstalls(rollout, statuses.answers());
    run.update(recovered);
    if (recovered.phase() == RolloutPhase.DISTRIBUTING) {
      return redistribute(recovered, statuses);
    }
    // Continue with the first batch not yet on the target; nodes on it are skipped.
    int batch = Recovery.firstBatchToRun(recovered, statuses.answers());
    run.update(recovered.withBatch(batch).withPhase(RolloutPhase.ROLLING));
    run.context.getLog().info("rollout={} step=resume batch={}/{}", rollout.id(), batch + 1, rollout.batches().size());
    return runner.runBatch(AfterBatch.CONTINUE);
  }

  /** The bundle may not have reached every node: distribute again (nodes that hold it are skipped). */
  private Behavior<Msg> redistribute(Rollout recovered, Gather.Gathered<NodeStatus> statuses) {
    List<ActorRef<AgentRequest>> missing = new ArrayList<>();
    String holder = null;
    for (var e : statuses.answers().entrySet()) {
      if (Reconciler.holds(e.getValue(), recovered.target())) {
        holder = holder == null ? e.getKey() : holder;
      } else if (run.agents.containsKey(e.getKey())) {
        missing.add(run.agents.get(e.getKey()));
      }
    }
    if (holder == null) {
      return runner.onFailure("no node holds " + recovered.target() + " after the failover");
    }
    return missing.isEmpty() ? runner.beginRolling() : runner.transfer(holder, missing);
  }
}
