package dev.molt.orchestrator.rollout;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.molt.orchestrator.rollout.RunnerProtocol.AgentsNow;
import dev.molt.orchestrator.rollout.RunnerProtocol.MadePermanent;
import dev.molt.orchestrator.rollout.RunnerProtocol.Msg;
import dev.molt.orchestrator.rollout.RunnerProtocol.RunControl;
import dev.molt.protocol.control.ControlMessages.Ack;
import dev.molt.protocol.control.ControlMessages.PermanentRequest;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link RolloutRunner}'s last phase: every node of the plan makes the target permanent (a
 * restart boots it); the rollout completes, or fails naming the nodes that did not.
 */
final class MakingPermanent {
  private static final Set<ControlAction> ONLY_ABORT = EnumSet.of(ControlAction.ABORT);

  private MakingPermanent() {}

  /**
   * Only an abort applies here: every node runs the target, so a pause or rollback asked now would
   * be answered as accepted and then overtaken by the completion; it gets 409 instead.
   */
  static Behavior<Msg> start(RunState run) {
    Rollout rollout = run.rollout;
    List<String> nodes = rollout.batches().stream().flatMap(List::stream).toList();
    run.context.spawnAnonymous(Gather.create(run.agentsOf(nodes), Ack.class,
        (node, r) -> new PermanentRequest(rollout.target(), r), run.settings.ask(), run.context.getSelf(), MadePermanent::new));
    return Behaviors.receive(Msg.class)
        .onMessage(AgentsNow.class, run::onAgents)
        .onMessage(MadePermanent.class, m -> {
          List<String> failed = RunState.failedAcks(m.acks());
          if (!failed.isEmpty()) {
            run.context.getLog().error("rollout={} step=make-permanent failed on {}", rollout.id(), failed);
            return run.finish(run.rollout.withError("make-permanent failed on " + failed).withPhase(RolloutPhase.FAILED));
          }
          run.context.getLog().info("rollout={} step=make-permanent release={} nodes={}", rollout.id(), rollout.target(),
              m.acks().answers().keySet());
          return run.finish(run.rollout.withPhase(RolloutPhase.COMPLETED));
        })
        .onMessage(MembershipEvent.class, run::onMembership)
        .onMessage(RunControl.class, c -> run.control(c, ONLY_ABORT, Behaviors.same(), a -> run.abort()))
        .build();
  }
}
