package dev.molt.orchestrator.rollout;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.ClusterView;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.GetCluster;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.PlanFor;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Plans;
import dev.molt.protocol.control.AgentRequest;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.control.ControlMessages.PlanRequest;
import dev.molt.protocol.control.ControlMessages.PlanResult;
import dev.molt.protocol.control.ControlMessages.StatusRequest;
import dev.molt.protocol.release.ReleaseId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Requests the orchestrator answers by asking the nodes, outside any rollout: the cluster view and
 * compiled plans. One short-lived child per request; they change no rollout.
 */
final class ClusterQueries {
  private ClusterQueries() {}

  private record Statuses(Gather.Gathered<NodeStatus> statuses) {}

  /** Every node's status, and the nodes that did not answer. */
  static Behavior<Object> cluster(GetCluster request, Map<String, ActorRef<AgentRequest>> agents, Duration ask) {
    return Behaviors.setup(context -> {
      context.spawnAnonymous(Gather.create(new TreeMap<>(agents), NodeStatus.class, (node, r) -> new StatusRequest(r), ask,
          context.getSelf(), Statuses::new));
      return Behaviors.receive((ctx, message) -> {
        Gather.Gathered<NodeStatus> statuses = ((Statuses) message).statuses();
        request.replyTo().tell(new ClusterView(List.copyOf(statuses.answers().values()), statuses.missing()));
        return Behaviors.stopped();
      });
    });
  }

  /**
   * Each node's compiled script for the target, or its error: the target resolved first against the
   * nodes' statuses ({@link RolloutStart#resolve}), as a rollout's is; a 400 when it does not resolve.
   */
  static Behavior<Object> plans(PlanFor request, Map<String, ActorRef<AgentRequest>> agents, Duration ask) {
    return Behaviors.setup(context -> {
      context.spawnAnonymous(Gather.create(new TreeMap<>(agents), NodeStatus.class, (node, r) -> new StatusRequest(r), ask,
          context.getSelf(), Statuses::new));
      return Behaviors.receive((ctx, message) -> {
        Gather.Gathered<NodeStatus> statuses = ((Statuses) message).statuses();
        ReleaseId target;
        try {
          target = RolloutStart.resolve(request.target(), statuses.answers().values());
        } catch (RolloutStart.Unresolved unresolved) {
          ctx.getLog().info("plan refused: {}", unresolved.getMessage());
          request.replyTo().tell(unresolved.problem());
          return Behaviors.stopped();
        }
        // Only the nodes that answered are asked again: one that did not is reported now, not waited for twice.
        Map<String, ActorRef<AgentRequest>> answering = new TreeMap<>(agents);
        answering.keySet().retainAll(statuses.answers().keySet());
        ctx.spawnAnonymous(Gather.create(answering, PlanResult.class,
            (node, r) -> new PlanRequest(target, r), ask, ctx.getSelf(), g -> (Object) g));
        return Behaviors.receive((c, gathered) -> answerPlans(request, ask, gathered, statuses.missing()));
      });
    });
  }

  private static Behavior<Object> answerPlans(PlanFor request, Duration ask, Object message, List<String> silent) {
    @SuppressWarnings("unchecked")
    Gather.Gathered<PlanResult> gathered = (Gather.Gathered<PlanResult>) message;
    Map<String, String> plans = new TreeMap<>();
    Map<String, String> errors = new TreeMap<>();
    gathered.answers().forEach((node, r) -> {
      if (r.ok()) {
        plans.put(node, r.plan());
      } else {
        errors.put(node, r.error());
      }
    });
    Stream.concat(silent.stream(), gathered.missing().stream())
        .forEach(node -> errors.put(node, "no answer within " + ask.toSeconds() + " s"));
    request.replyTo().tell(new Plans(plans, errors));
    return Behaviors.stopped();
  }
}
