package dev.molt.node.agent;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Sends one command to many hosts and collects their replies in one short-lived actor: a plain
 * message per host and per reply, instead of a temporary ask actor and a scheduled timeout for
 * each (which dominated a 10,000-actor step). Replies are matched to hosts by the host's name
 * (each name once per host; equal names in different supervisors are told apart by count).
 */
final class HostFanout {
  private static final AtomicLong IDS = new AtomicLong();
  private static final Object TIMEOUT = new Object();

  private HostFanout() {}

  static List<Asks.Answer<HostReply>> all(ActorSystem<?> system, List<ActorRef<Object>> targets, List<String> names,
      Function<ActorRef<HostReply>, HostCommand> command, Duration timeout) {
    if (targets.isEmpty()) {
      return List.of();
    }
    CompletableFuture<HostReply[]> done = new CompletableFuture<>();
    system.systemActorOf(collector(targets, command, timeout, done), "molt-fanout-" + IDS.incrementAndGet(), Props.empty());
    HostReply[] replies;
    try {
      replies = done.get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      replies = new HostReply[targets.size()];
    } catch (ExecutionException | TimeoutException e) {
      replies = new HostReply[targets.size()];
    }
    List<Asks.Answer<HostReply>> answers = new ArrayList<>(targets.size());
    for (int i = 0; i < targets.size(); i++) {
      answers.add(replies[i] != null ? new Asks.Answer<>(names.get(i), replies[i], null)
          : new Asks.Answer<>(names.get(i), null, "no answer within " + timeout.toMillis() + " ms"));
    }
    return answers;
  }

  private static Behavior<Object> collector(List<ActorRef<Object>> targets, Function<ActorRef<HostReply>, HostCommand> command,
      Duration timeout, CompletableFuture<HostReply[]> done) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      ActorRef<HostReply> self = context.getSelf().narrow();
      Map<String, Deque<Integer>> pending = new HashMap<>();
      for (int i = 0; i < targets.size(); i++) {
        pending.computeIfAbsent(targets.get(i).path().name(), k -> new ArrayDeque<>()).add(i);
      }
      HostReply[] replies = new HostReply[targets.size()];
      int[] remaining = {targets.size()};
      for (ActorRef<Object> target : targets) {
        target.tell(command.apply(self));
      }
      timers.startSingleTimer(TIMEOUT, timeout);
      return Behaviors.receiveMessage(message -> {
        if (message == TIMEOUT) {
          done.complete(replies);
          return Behaviors.stopped();
        }
        if (message instanceof HostReply reply) {
          Deque<Integer> slots = pending.get(reply.actor());
          Integer slot = slots == null ? null : slots.poll();
          if (slot != null) {
            replies[slot] = reply;
            if (--remaining[0] == 0) {
              done.complete(replies);
              return Behaviors.stopped();
            }
          }
        }
        return Behaviors.same();
      });
    }));
  }
}
