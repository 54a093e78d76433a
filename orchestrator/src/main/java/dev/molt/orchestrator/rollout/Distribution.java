package dev.molt.orchestrator.rollout;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Distribute;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Distributed;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Problem;
import dev.molt.protocol.control.AgentRequest;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.control.ControlMessages.SendBundle;
import dev.molt.protocol.control.ControlMessages.StatusRequest;
import dev.molt.protocol.control.ControlMessages.TransferResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The distribution of an uploaded bundle, as a worker per upload: every node's status, then the
 * holder sends the bundle to the nodes that lack it; answers {@link Distributed} (or a problem).
 * It changes no rollout (a rollout's own transfer is its runner's {@code distributing} phase).
 */
final class Distribution {
  private Distribution() {}

  private record Statuses(Gather.Gathered<NodeStatus> statuses) {}

  private record Transferred(TransferResult result, Throwable failure) {}

  /** Sends an uploaded bundle from its holder to every node that lacks it, then answers {@link Distributed}. */
  static Behavior<Object> create(Distribute request, Map<String, ActorRef<AgentRequest>> agents, Duration ask,
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
            request.replyTo().tell(new Problem(503, "node unknown", "node " + request.holder() + " has no known cluster agent"));
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

}
