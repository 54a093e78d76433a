package dev.molt.node.agent;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.pattern.AskTimeoutException;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import dev.molt.node.supervision.ApplicationTree;
import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
record Asks(ActorSystem<?> system, Duration timeout, int maxInFlight) {
  private static final Logger log = LoggerFactory.getLogger(Asks.class);

  /** The same asks with another timeout: an update instruction's own ({@code "timeout": "2s"}); null keeps this one's. */
  Asks within(Long timeoutMillis) {
    return timeoutMillis == null ? this : new Asks(system, Duration.ofMillis(timeoutMillis), maxInFlight);
  }

  /** The same asks with at most {@code most} outstanding. */
  Asks atMost(int most) {
    return new Asks(system, timeout, Math.min(most, maxInFlight));
  }

  /** The same asks with what is left until {@code deadlineNanos} ({@link System#nanoTime}), at least 1 ms. */
  Asks until(long deadlineNanos) {
    return new Asks(system, Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), deadlineNanos - System.nanoTime())),
        maxInFlight);
  }

  /** Target {@code index}'s reply, or why there is none; its name is looked up only when shown. */
  record Answer<T>(List<String> names, int index, T reply, String error) {
    String target() {
      return names.get(index);
    }

    @Override
    public String toString() {
      return "Answer[" + target() + ": " + (error != null ? error : reply) + "]";
    }
  }

  /**
   * One answer per target, in target order; a timeout or a failure becomes the answer's error. The
   * whole call takes at most the timeout: an ask sent late gets what is left of it.
   */
  <M, T> List<Answer<T>> all(List<ActorRef<M>> targets, List<String> names, Function<ActorRef<T>, M> message) {
    return all(targets, names, (i, r) -> message.apply(r));
  }

  private <M, T> List<Answer<T>> all(List<ActorRef<M>> targets, List<String> names,
      BiFunction<Integer, ActorRef<T>, M> message) {
    if (targets.isEmpty()) {
      return List.of(); // nothing to ask: no task for the pool, no wait
    }
    Fanout<M, T> fanout = new Fanout<>(targets, names, message, System.nanoTime() + timeout.toNanos());
    // One task enters the pool from this thread; the first window is sent from inside it.
    system.executionContext().execute(() -> fanout.release(Math.min(maxInFlight, targets.size())));
    boolean interrupted = false;
    try {
      // No timer per ask: the fan-out's deadline is this wait's.
      fanout.answered.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      interrupted = true;
    } finally {
      fanout.close();
    }
    List<Answer<T>> answers = new ArrayList<>(targets.size());
    for (int i = 0; i < targets.size(); i++) {
      Object outcome = fanout.outcomes.get(i);
      if (outcome instanceof Throwable failure) {
        answers.add(new Answer<>(names, i, null, noAnswer(timeout, failure.getClass())));
      } else if (outcome == null) {
        answers.add(new Answer<>(names, i, null, interrupted ? "interrupted while waiting for an answer"
            : noAnswer(timeout, TimeoutException.class)));
      } else {
        @SuppressWarnings("unchecked")
        T reply = (T) outcome;
        answers.add(new Answer<>(names, i, reply, null));
      }
    }
    return answers;
  }

  /**
   * One command to each host, each answering to its own {@link AnswerRef}, which completes in
   * the replying thread. A single collector actor was measured slower (every reply through one mailbox): 10k
   * barrier 121 ms vs ~100 ms, 100k 1.05 s vs 0.67 s (bench/run.sh, 2 cores).
   */
  List<Answer<HostReply>> hosts(List<ApplicationTree.Host> hosts, Function<ActorRef<HostReply>, HostCommand> command) {
    return hostsEach(hosts, (i, r) -> command.apply(r));
  }

  /** One command to each host, made for the host's index in {@code hosts}. */
  List<Answer<HostReply>> hostsEach(List<ApplicationTree.Host> hosts,
      BiFunction<Integer, ActorRef<HostReply>, HostCommand> command) {
    return all(view(hosts, ApplicationTree.Host::ref), view(hosts, ApplicationTree.Host::path), command::apply);
  }

  /** {@code hosts} seen through {@code part}, read when needed: a host's path is built only for an answer. */
  static <P> List<P> view(List<ApplicationTree.Host> hosts, Function<ApplicationTree.Host, P> part) {
    return new AbstractList<>() {
      @Override
      public P get(int index) {
        return part.apply(hosts.get(index));
      }

      @Override
      public int size() {
        return hosts.size();
      }
    };
  }

  /** Why a target has no answer: the same words for every fan-out. */
  static String noAnswer(Duration timeout, Class<?> why) {
    return "no answer within " + timeout.toMillis() + " ms (" + why.getSimpleName() + ")";
  }

  /**
   * Every reply of the expected kind, or the first failure, naming its actor. An actor that left
   * the tree meanwhile (stopped normally, or replaced by its supervisor's restart on the current
   * release) has nothing left to change and is skipped.
   */
  static <T extends HostReply> List<T> expectAll(String install, String step, List<ApplicationTree.Host> hosts,
      Class<T> expected, List<Answer<HostReply>> answers, Predicate<ApplicationTree.Host> gone) throws InstallFailure {
    List<T> replies = new ArrayList<>(answers.size());
    for (int i = 0; i < answers.size(); i++) {
      Answer<HostReply> answer = answers.get(i);
      if (answer.error() != null) {
        ApplicationTree.Host host = hosts.get(i);
        if (gone.test(host)) {
          log.info("install={} {}: {} stopped during the step; skipped", install, step, host.path());
          continue;
        }
        throw new InstallFailure(step, answer.target(), answer.error());
      }
      if (answer.reply() instanceof HostReply.Failed failed) {
        throw new InstallFailure(step, answer.target(), failed.cause());
      }
      if (!expected.isInstance(answer.reply())) {
        throw new InstallFailure(step, answer.target(), "unexpected reply " + answer.reply());
      }
      replies.add(expected.cast(answer.reply()));
    }
    return replies;
  }

  <M, T> Answer<T> one(ActorRef<M> target, String name, Function<ActorRef<T>, M> message) {
    return this.<M, T>all(List.of(target), List.of(name), message).get(0);
  }

  /**
   * One fan-out: the next target to ask, and each target's reply or failure. Every answer gives a
   * credit to ask one more target. Credits are spent in a loop by whichever thread holds the pump,
   * never by recursion: an ask to a stopped actor fails at once, inside the call that sent it, and
   * a few hundred of those in a row would otherwise overflow the stack.
   */
  private final class Fanout<M, T> {
    private final List<ActorRef<M>> targets;
    private final List<String> names;
    private final BiFunction<Integer, ActorRef<T>, M> message;
    private final long deadline;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger credits = new AtomicInteger();
    private final AtomicBoolean pumping = new AtomicBoolean();
    final AtomicReferenceArray<Object> outcomes;
    final CountDownLatch answered;
    /** Set when the caller stopped waiting: nothing is sent after that. */
    volatile boolean closed;

    Fanout(List<ActorRef<M>> targets, List<String> names, BiFunction<Integer, ActorRef<T>, M> message, long deadline) {
      this.targets = targets;
      this.names = names;
      this.message = message;
      this.deadline = deadline;
      this.outcomes = new AtomicReferenceArray<>(targets.size());
      this.answered = new CountDownLatch(targets.size());
    }

    /**
     * Nothing is sent once this returns: a send that checked {@link #closed} just before is waited
     * for, so a late command cannot reach a host after the step's undo has asked it something.
     */
    void close() {
      closed = true;
      while (pumping.get()) {
        Thread.yield();
      }
    }

    /** Allows {@code count} more asks and sends them unless another thread is already sending. */
    void release(int count) {
      credits.addAndGet(count);
      while (credits.get() > 0 && pumping.compareAndSet(false, true)) {
        try {
          while (credits.get() > 0) {
            credits.decrementAndGet();
            sendNext();
          }
        } finally {
          pumping.set(false);
        }
      }
    }

    private void sendNext() {
      int i = next.getAndIncrement();
      if (i >= targets.size()) {
        return;
      }
      long left = deadline - System.nanoTime();
      if (closed || left <= 0) {
        // A command that arrives after its step gave up could undo what the step's undo just did.
        answer(i, new TimeoutException("not asked: the step's time ran out"));
        return;
      }
      ActorRef<M> target = targets.get(i);
      try {
        // As an ask does: a target known to have stopped cannot answer, so it is not waited for.
        if (AnswerRef.stopped(target)) {
          answer(i, new AskTimeoutException("Recipient[" + target + "] had already been terminated."));
          return;
        }
        target.tell(message.apply(i, new AnswerRef<T>(system, () -> names.get(i), reply -> answer(i, reply))));
      } catch (RuntimeException e) {
        answer(i, e);
      }
    }

    /** The first answer of target {@code i} counts; a second one (there is none in the protocol) is ignored. */
    private void answer(int i, Object outcome) {
      if (outcomes.compareAndSet(i, null, outcome)) {
        answered.countDown();
        release(1);
      }
    }
  }
}
