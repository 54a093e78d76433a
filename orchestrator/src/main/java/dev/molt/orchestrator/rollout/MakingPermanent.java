package dev.molt.orchestrator.rollout;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.molt.orchestrator.rollout.RunnerProtocol.AfterBatch;
import dev.molt.orchestrator.rollout.RunnerProtocol.AgentsNow;
import dev.molt.orchestrator.rollout.RunnerProtocol.MadePermanent;
import dev.molt.orchestrator.rollout.RunnerProtocol.Msg;
import dev.molt.orchestrator.rollout.RunnerProtocol.RunControl;
import dev.molt.protocol.control.ControlMessages.Ack;
import dev.molt.protocol.control.ControlMessages.PermanentRequest;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A {@link RolloutRunner}'s last phase: every node of the plan makes the target permanent (a
 * restart boots it); the rollout completes, or fails naming the nodes that did not.
 */
final class MakingPermanent {
  private MakingPermanent() {}

  /** {@code requested}: how the runner handles a control while a step runs (it ends the rollout anyway). */
  static Behavior<Msg> start(RunState run, Set<ControlAction> allowed,
      BiFunction<ControlAction, Function<AfterBatch, Behavior<Msg>>, Behavior<Msg>> requested) {
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
        .onMessage(RunControl.class, c -> run.control(c, allowed, Behaviors.same(),
            a -> requested.apply(a, next -> Behaviors.same())))
        .build();
  }
}
