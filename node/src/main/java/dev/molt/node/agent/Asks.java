package dev.molt.node.agent;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** Asks many actors at once and waits for every answer, from the install thread (never an actor's). */
final class Asks {
  private final ActorSystem<?> system;
  private final Duration timeout;

  Asks(ActorSystem<?> system, Duration timeout) {
    this.system = system;
    this.timeout = timeout;
  }

  record Answer<T>(String target, T reply, String error) {}


  /** One answer per target, in target order; a timeout or a failure becomes the answer's error. */
  <M, T> List<Answer<T>> all(List<ActorRef<M>> targets, List<String> names, Function<ActorRef<T>, M> message) {
    List<CompletableFuture<T>> pending = new ArrayList<>(targets.size());
    for (ActorRef<M> target : targets) {
      pending.add(AskPattern.<M, T>ask(target, message::apply, timeout, system.scheduler()).toCompletableFuture());
    }
    List<Answer<T>> answers = new ArrayList<>(targets.size());
    long deadline = System.nanoTime() + timeout.toNanos() + 1_000_000_000L;
    for (int i = 0; i < pending.size(); i++) {
      try {
        long left = Math.max(1, deadline - System.nanoTime());
        answers.add(new Answer<>(names.get(i), pending.get(i).get(left, TimeUnit.NANOSECONDS), null));
      } catch (TimeoutException e) {
        answers.add(new Answer<>(names.get(i), null, "no answer within " + timeout.toMillis() + " ms"));
      } catch (ExecutionException e) {
        answers.add(new Answer<>(names.get(i), null, "no answer within " + timeout.toMillis() + " ms ("
            + e.getCause().getClass().getSimpleName() + ")"));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        answers.add(new Answer<>(names.get(i), null, "interrupted"));
      }
    }
    return answers;
  }

  <M, T> Answer<T> one(ActorRef<M> target, String name, Function<ActorRef<T>, M> message) {
    return this.<M, T>all(List.of(target), List.of(name), message).get(0);
  }
}
