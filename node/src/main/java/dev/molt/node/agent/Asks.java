package dev.molt.node.agent;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * Asks many actors and waits for every answer, from the install thread (never an actor's).
 *
 * <p>At most {@code maxInFlight} asks are outstanding: the next one is sent when an answer comes
 * in, from the thread that delivered it. Two reasons, both measured with 100 clients calling 10k
 * actors on 2 cores: sending all at once queued 10,000 swaps ahead of live traffic on the
 * dispatcher, and messages sent from a thread outside the dispatcher wait in the fork-join pool's
 * shared queue, which busy workers only poll when their own queue runs dry (calls stalled up to
 * a second). Sent from a dispatcher thread, a message's mailbox is scheduled on that worker's own
 * queue, in order with the traffic.
 */
final class Asks {
  private final ActorSystem<?> system;
  private final Duration timeout;
  private final int maxInFlight;

  Asks(ActorSystem<?> system, Duration timeout, int maxInFlight) {
    this.system = system;
    this.timeout = timeout;
    this.maxInFlight = maxInFlight;
  }

  record Answer<T>(String target, T reply, String error) {}

  /**
   * One answer per target, in target order; a timeout or a failure becomes the answer's error. The
   * whole call takes at most the timeout: an ask sent late gets what is left of it.
   */
  <M, T> List<Answer<T>> all(List<ActorRef<M>> targets, List<String> names, Function<ActorRef<T>, M> message) {
    Fanout<M, T> fanout = new Fanout<>(targets, message, System.nanoTime() + timeout.toNanos());
    // One task enters the pool from this thread; the first window is sent from inside it.
    system.executionContext().execute(() -> {
      for (int i = 0; i < Math.min(maxInFlight, targets.size()); i++) {
        fanout.sendNext();
      }
    });
    boolean complete;
    try {
      complete = fanout.answered.await(timeout.toNanos() + 1_000_000_000L, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      complete = false;
    }
    List<Answer<T>> answers = new ArrayList<>(targets.size());
    for (int i = 0; i < targets.size(); i++) {
      Object outcome = fanout.outcomes.get(i);
      if (outcome instanceof Throwable failure) {
        answers.add(new Answer<>(names.get(i), null, "no answer within " + timeout.toMillis() + " ms ("
            + failure.getClass().getSimpleName() + ")"));
      } else if (outcome == null) {
        answers.add(new Answer<>(names.get(i), null, complete ? "no answer within " + timeout.toMillis() + " ms"
            : "interrupted or no answer within " + timeout.toMillis() + " ms"));
      } else {
        @SuppressWarnings("unchecked")
        T reply = (T) outcome;
        answers.add(new Answer<>(names.get(i), reply, null));
      }
    }
    return answers;
  }

  <M, T> Answer<T> one(ActorRef<M> target, String name, Function<ActorRef<T>, M> message) {
    return this.<M, T>all(List.of(target), List.of(name), message).get(0);
  }

  /** One fan-out: the next target to ask, and each target's reply or failure. */
  private final class Fanout<M, T> {
    private final List<ActorRef<M>> targets;
    private final Function<ActorRef<T>, M> message;
    private final long deadline;
    private final AtomicInteger next = new AtomicInteger();
    final AtomicReferenceArray<Object> outcomes;
    final CountDownLatch answered;

    Fanout(List<ActorRef<M>> targets, Function<ActorRef<T>, M> message, long deadline) {
      this.targets = targets;
      this.message = message;
      this.deadline = deadline;
      this.outcomes = new AtomicReferenceArray<>(targets.size());
      this.answered = new CountDownLatch(targets.size());
    }

    void sendNext() {
      int i = next.getAndIncrement();
      if (i >= targets.size()) {
        return;
      }
      Duration left = Duration.ofNanos(Math.max(1_000_000L, deadline - System.nanoTime()));
      // Runs in the replying actor's thread (a reply that beat this line: here, once). Plain
      // whenComplete would not: Scala's CompletionStage runs every callback asynchronously, on the
      // common pool, which on 2 cores is a new thread per task.
      AskPattern.<M, T>ask(targets.get(i), message::apply, left, system.scheduler()).whenCompleteAsync((reply, failure) -> {
        outcomes.set(i, failure != null ? failure : reply);
        answered.countDown();
        sendNext();
      }, Runnable::run);
    }
  }
}
