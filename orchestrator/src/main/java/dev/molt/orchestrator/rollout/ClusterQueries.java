package dev.molt.orchestrator.rollout;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.ClusterView;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Distribute;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.GetCluster;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Distributed;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.PlanFor;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Plans;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Problem;
import dev.molt.protocol.control.AgentRequest;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.control.ControlMessages.PlanRequest;
import dev.molt.protocol.control.ControlMessages.PlanResult;
import dev.molt.protocol.control.ControlMessages.SendBundle;
import dev.molt.protocol.control.ControlMessages.StatusRequest;
import dev.molt.protocol.control.ControlMessages.TransferResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Requests the orchestrator answers by asking the nodes, outside any rollout: distributing an
 * uploaded bundle and compiling plans. One short-lived child per request; they change no rollout.
 */
final class ClusterQueries {
  private ClusterQueries() {}

  private record Statuses(Gather.Gathered<NodeStatus> statuses) {}

  private record Transferred(TransferResult result, Throwable failure) {}

  /** Sends an uploaded bundle from its holder to every node that lacks it, then answers {@link Distributed}. */
  static Behavior<Object> distribute(Distribute request, Map<String, ActorRef<AgentRequest>> agents, Duration ask,
      Duration transfer) {
    return Behaviors.setup(context -> {
      context.spawnAnonymous(Gather.create(new TreeMap<>(agents), NodeStatus.class, (node, r) -> new StatusRequest(r), ask,
          context.getSelf(), Statuses::new));
      return Behaviors.receive((ctx, message) -> {
        if (message instanceof Statuses s) {
          ActorRef<AgentRequest> holder = agents.get(request.holder());
          List<ActorRef<AgentRequest>> missing = new ArrayList<>();
          List<String> names = new ArrayList<>();
          s.statuses().answers().forEach((node, status) -> {
            if (!Reconciler.holds(status, request.release()) && agents.containsKey(node)) {
              missing.add(agents.get(node));
              names.add(node);
            }
          });
          if (holder == null) {
            request.replyTo().tell(new Problem(503, "node unknown", "node " + request.holder() + " is not a known agent"));
            return Behaviors.stopped();
          }
          if (missing.isEmpty()) {
            request.replyTo().tell(new Distributed(request.release(), List.copyOf(s.statuses().answers().keySet()), List.of()));
            return Behaviors.stopped();
          }
          ctx.getLog().info("release {} distributing from {} to {}", request.release(), request.holder(), names);
          ctx.ask(TransferResult.class, holder, transfer, r -> new SendBundle(request.release(), missing, r), Transferred::new);
          return Behaviors.same();
        }
        Transferred t = (Transferred) message;
        if (t.failure() != null) {
          request.replyTo().tell(new Problem(503, "distribution failed", t.failure().getMessage()));
        } else {
          ctx.getLog().info("release {} distributed: stored={} failed={}", t.result().release(), t.result().stored(),
              t.result().failed());
          List<String> stored = new ArrayList<>(List.of(request.holder()));
          stored.addAll(t.result().stored());
          request.replyTo().tell(new Distributed(t.result().release(), stored, t.result().failed()));
        }
        return Behaviors.stopped();
      });
    });
  }

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

  /** Each node's compiled script for the target, or its error. */
  static Behavior<Object> plans(PlanFor request, Map<String, ActorRef<AgentRequest>> agents, Duration ask) {
    return Behaviors.setup(context -> {
      context.spawnAnonymous(Gather.create(new TreeMap<>(agents), PlanResult.class,
          (node, r) -> new PlanRequest(request.target(), r), ask, context.getSelf(), g -> (Object) g));
      return Behaviors.receive((ctx, message) -> {
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
        gathered.missing().forEach(node -> errors.put(node, "no answer within " + ask.toSeconds() + " s"));
        request.replyTo().tell(new Plans(plans, errors));
        return Behaviors.stopped();
      });
    });
  }
}
