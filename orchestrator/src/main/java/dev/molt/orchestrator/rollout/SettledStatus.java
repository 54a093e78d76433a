package dev.molt.orchestrator.rollout;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.molt.protocol.control.AgentRequest;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.control.ControlMessages.StatusRequest;
import java.time.Duration;
import java.util.function.BiFunction;

/**
 * Asks one node its status until it is not installing, then hands it to the parent. A rollback
 * uses it before downgrading a node whose install outcome is unknown (it was unreachable, or its
 * answer was lost): the node may still be finishing that install, and the agent refuses a second
 * one meanwhile. Unanswered asks are retried (every {@code retry}) (a stopped JVM answers when it resumes); after
 * {@code deadline} the parent hears the failure. Membership removal is the parent's business.
 */
final class SettledStatus {
  private SettledStatus() {}

  private record Answer(NodeStatus status, Throwable failure) {}

  @SuppressWarnings("unchecked")
  static <P> Behavior<Object> create(ActorRef<AgentRequest> agent, Duration ask, Duration retry, Duration deadline,
      ActorRef<P> parent,
      BiFunction<NodeStatus, String, P> wrap) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      long giveUpAt = System.nanoTime() + deadline.toNanos();
      Runnable askNow = () -> context.ask(NodeStatus.class, agent, ask, StatusRequest::new, Answer::new);
      askNow.run();
      return Behaviors.receive((ctx, message) -> {
        if (message instanceof Answer a && a.failure() == null && !a.status().installing()) {
          parent.tell(wrap.apply(a.status(), null));
          return Behaviors.stopped();
        }
        if (System.nanoTime() > giveUpAt) {
          parent.tell(wrap.apply(null, "no settled status within " + deadline.toSeconds() + " s"));
          return Behaviors.stopped();
        }
        if (message instanceof Answer) {
          timers.startSingleTimer("retry", "retry", retry);
        } else {
          askNow.run();
        }
        return Behaviors.same();
      });
    }));
  }
}
