package dev.molt.orchestrator.rollout;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.molt.protocol.control.AgentRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Asks a set of agents the same question and hands all the answers (and who did not answer in
 * time) to its parent in one message. One short-lived child per question.
 */
final class Gather {
  private Gather() {}

  /** The answers by node, and the nodes that did not answer. */
  record Gathered<T>(Map<String, T> answers, List<String> missing) {}

  private record One<T>(String node, T answer, Throwable failure) {}

  @SuppressWarnings("unchecked")
  static <T, P> Behavior<One<T>> create(Map<String, ActorRef<AgentRequest>> targets, Class<T> type,
      java.util.function.BiFunction<String, ActorRef<T>, AgentRequest> question, Duration timeout, ActorRef<P> parent,
      Function<Gathered<T>, P> wrap) {
    return Behaviors.setup(context -> {
      if (targets.isEmpty()) {
        parent.tell(wrap.apply(new Gathered<>(Map.of(), List.of())));
        return Behaviors.stopped();
      }
      targets.forEach((node, ref) -> context.ask(type, ref, timeout, replyTo -> question.apply(node, replyTo),
          (answer, failure) -> (One<T>) new One<>(node, answer, failure)));
      Map<String, T> answers = new LinkedHashMap<>();
      List<String> missing = new ArrayList<>();
      return Behaviors.receive((ctx, one) -> {
        if (one.failure() == null) {
          answers.put(one.node(), one.answer());
        } else {
          missing.add(one.node());
        }
        if (answers.size() + missing.size() == targets.size()) {
          parent.tell(wrap.apply(new Gathered<>(answers, missing)));
          return Behaviors.stopped();
        }
        return Behaviors.same();
      });
    });
  }
}
