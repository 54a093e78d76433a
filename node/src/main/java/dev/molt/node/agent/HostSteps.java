package dev.molt.node.agent;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.molt.node.host.CodeChange;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.release.ReleaseId;
import dev.molt.protocol.relup.RelupScript;
import dev.molt.protocol.relup.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of a script that talk to host actors (OTP's {@code suspend}, {@code code_change},
 * {@code resume}), after the point of no return: each asks every affected host in parallel and
 * records in the journal how to take its change back. How the install thread asks thousands of
 * hosts at once, bounded ({@link Asks}), lives here too: asking hosts is what these steps are.
 */
final class HostSteps {
  private static final Logger log = LoggerFactory.getLogger(HostSteps.class);
  static final JsonNode NO_EXTRA = JsonNodeFactory.instance.objectNode();

  private final String install;
  private final Supplier<ApplicationTree> tree;
  private final Asks asks;
  private final InstallMode mode;
  private final UndoJournal journal;
  private final PauseStats pauses;
  private final ReleaseRegistry registry;
  private final Map<String, List<ApplicationTree.Host>> suspended = new LinkedHashMap<>();
  /** What each suspended host lent for its migration, by behaviour, in the order of {@link #suspended}. */
  private final Map<String, List<CodeChange.Source>> lent = new HashMap<>();
  /** Behaviours whose hosts resumed with their code change (the resume step right after it). */
  private final Set<String> resumedWithChange = new HashSet<>();
  private int actorsChanged;

  HostSteps(String install, ReleaseRegistry registry, Supplier<ApplicationTree> tree, Asks asks, InstallMode mode,
      UndoJournal journal, PauseStats pauses) {
    this.install = install;
    this.registry = registry;
    this.tree = tree;
    this.asks = asks;
    this.mode = mode;
    this.journal = journal;
    this.pauses = pauses;
  }

  /** Code changes so far, over every hop. */
  int actorsChanged() {
    return actorsChanged;
  }

  int suspend(Step.Suspend step, String name) throws InstallFailure {
    if (mode == InstallMode.PIPELINED) {
      return 0;
    }
    int count = 0;
    for (String behaviour : step.behaviours()) {
      List<ApplicationTree.Host> hosts = tree.get().hosts(behaviour);
      // Journaled before asking: a host that suspended before another failed must resume.
      suspended.put(behaviour, hosts);
      // A later hop suspends it again: only its own change may resume it.
      resumedWithChange.remove(behaviour);
      journal.record("resume " + behaviour, () -> resumeQuietly(hosts));
      List<Asks.Answer<HostReply>> answers =
          asks.within(step.timeoutMillis(behaviour)).hosts(hosts, HostCommand.SuspendForChange::new);
      expectAll(name, hosts, HostReply.Suspended.class, answers);
      // A host that stopped meanwhile lent nothing: its slot stays empty.
      lent.put(behaviour, answers.stream()
          .map(a -> a.reply() instanceof HostReply.Suspended s ? s.source() : null).toList());
      count += hosts.size();
    }
    return count;
  }

  /** With {@code resume}, each host resumes in its change's message; the resume step then asks none of them. */
  int changeCode(RelupScript hop, Step.ChangeCode step, boolean resume, String name) throws InstallFailure {
    ReleaseId target = hop.to();
    ReleaseId back = hop.from();
    if (mode == InstallMode.PIPELINED) {
      List<ApplicationTree.Host> hosts = tree.get().hosts(step.behaviour());
      journal.record("swap " + step.behaviour() + " back to " + back, () -> swapBack(hosts, back, true));
      List<HostReply.Changed> changed = expectAll(name, hosts, HostReply.Changed.class,
          asks.within(step.timeoutMillis()).hosts(hosts, r -> new HostCommand.Swap(target, step.extra(), r)));
      changed.forEach(c -> pauses.add(c.migrationNanos()));
      actorsChanged += changed.size();
      return hosts.size();
    }
    List<ApplicationTree.Host> hosts = suspended.getOrDefault(step.behaviour(), List.of());
    journal.record("change " + step.behaviour() + " back to " + back, () -> {
      // The block may have resumed since: suspend again (idempotent); the suspend step's undo resumes.
      expectAll("undo suspend " + step.behaviour(), hosts, HostReply.Done.class, asks.hosts(hosts, HostCommand.Suspend::new));
      swapBack(hosts, back, false);
    });
    // Taken (a lent state pins its release); a second change of the same suspension migrates in its hosts.
    List<CodeChange.Source> sources = Optional.ofNullable(lent.remove(step.behaviour()))
        .orElseGet(() -> Collections.nCopies(hosts.size(), null));
    Asks stepAsks = asks.within(step.timeoutMillis());
    long deadline = System.nanoTime() + stepAsks.timeout.toNanos();
    List<CodeChange.Prepared> prepared = CodeChange.prepare(registry, step.behaviour(), sources, target, step.extra(),
        null, stepAsks.maxInFlight, deadline);
    int late = prepared.stream().map(CodeChange.Prepared::outOfTime).toList().indexOf(true);
    if (late >= 0) {
      throw new InstallFailure(name, hosts.get(late).path(), "no answer within " + stepAsks.timeout.toMillis()
          + " ms (TimeoutException): its migration had not finished when the step's time ran out");
    }
    // The switch gets what preparing left of the step's time: the step is bounded by its timeout.
    Asks switchAsks = stepAsks.until(deadline);
    List<Asks.Answer<HostReply>> answers = switchAsks.hostsEach(hosts, (i, r) -> new HostCommand.ChangeCodePrepared(prepared.get(i), resume, r));
    if (resume) {
      List<HostReply.Done> done = expectAll(name, hosts, HostReply.Done.class, answers);
      done.forEach(d -> pauses.add(d.pausedNanos()));
      resumedWithChange.add(step.behaviour());
      actorsChanged += done.size();
    } else {
      actorsChanged += expectAll(name, hosts, HostReply.Changed.class, answers).size();
    }
    return hosts.size();
  }

  int resume(Step.Resume step, String name) throws InstallFailure {
    if (mode == InstallMode.PIPELINED) {
      return 0;
    }
    int count = 0;
    for (String behaviour : step.behaviours()) {
      List<ApplicationTree.Host> hosts = suspended.getOrDefault(behaviour, List.of());
      if (resumedWithChange.remove(behaviour)) {
        count += hosts.size();
        continue;
      }
      List<HostReply.Done> done = expectAll(name, hosts, HostReply.Done.class, asks.hosts(hosts, HostCommand.Resume::new));
      done.forEach(d -> pauses.add(d.pausedNanos()));
      count += hosts.size();
    }
    return count;
  }

  /** Every actor not on {@code back} (started on a target while it was current) goes back too. */
  void moveStragglers(ReleaseId back) throws InstallFailure {
    List<ApplicationTree.Host> all = tree.get().hosts();
    List<Asks.Answer<HostReply>> statuses = asks.hosts(all, HostCommand.GetStatus::new);
    List<ApplicationTree.Host> running = new ArrayList<>();
    List<ApplicationTree.Host> suspendedOnes = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (statuses.get(i).reply() instanceof HostReply.Status status && !status.release().equals(back)) {
        (status.suspended() ? suspendedOnes : running).add(all.get(i));
      }
    }
    swapBack(running, back, true);
    swapBack(suspendedOnes, back, false);
  }

  /** Puts changed hosts back on {@code back}: suspended ones by ChangeCode, running ones by Swap. */
  private void swapBack(List<ApplicationTree.Host> hosts, ReleaseId back, boolean running) throws InstallFailure {
    List<Asks.Answer<HostReply>> answers = running
        ? asks.hosts(hosts, r -> new HostCommand.Swap(back, NO_EXTRA, r))
        : asks.hosts(hosts, r -> new HostCommand.ChangeCode(back, NO_EXTRA, r));
    List<String> failed = new ArrayList<>();
    for (Asks.Answer<HostReply> answer : answers) {
      if (answer.error() != null) {
        failed.add(answer.target() + ": " + answer.error());
      } else if (answer.reply() instanceof HostReply.Failed f) {
        if (running && f.reason() == HostReply.Reason.SUSPENDED) {
          continue; // Suspended by this install: the ChangeCode undo of the barrier path handles it.
        }
        failed.add(answer.target() + ": " + f.cause());
      }
    }
    if (!failed.isEmpty()) {
      throw new InstallFailure("revert", failed.get(0), failed.size() + " actor(s) could not go back: " + failed);
    }
  }

  private void resumeQuietly(List<ApplicationTree.Host> hosts) {
    for (Asks.Answer<HostReply> answer : asks.hosts(hosts, HostCommand.Resume::new)) {
      if (answer.error() != null) {
        log.error("install={} revert: {} did not resume: {}", install, answer.target(), answer.error());
      }
    }
  }

  /**
   * Every reply of the expected kind, or the first failure, naming its actor. An actor that left
   * the tree meanwhile (stopped normally, or replaced by its supervisor's restart on the current
   * release) has nothing left to change and is skipped.
   */
  private <T extends HostReply> List<T> expectAll(String step, List<ApplicationTree.Host> hosts, Class<T> expected,
      List<Asks.Answer<HostReply>> answers) throws InstallFailure {
    List<T> replies = new ArrayList<>(answers.size());
    for (int i = 0; i < answers.size(); i++) {
      Asks.Answer<HostReply> answer = answers.get(i);
      if (answer.error() != null) {
        ApplicationTree.Host host = hosts.get(i);
        boolean gone = tree.get().host(host.supervisor(), host.child()).map(h -> !h.ref().equals(host.ref())).orElse(true);
        if (gone) {
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

    /** The same asks with another timeout: an update instruction's own ({@code "timeout": "2s"}); null keeps this one's. */
    Asks within(Long timeoutMillis) {
      return timeoutMillis == null ? this : new Asks(system, Duration.ofMillis(timeoutMillis), maxInFlight);
    }

    /** The same asks with what is left until {@code deadlineNanos} ({@link System#nanoTime}), at least 1 ms. */
    Asks until(long deadlineNanos) {
      return new Asks(system, Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), deadlineNanos - System.nanoTime())),
          maxInFlight);
    }

    record Answer<T>(String target, T reply, String error) {}

    /**
     * One answer per target, in target order; a timeout or a failure becomes the answer's error. The
     * whole call takes at most the timeout: an ask sent late gets what is left of it.
     */
    <M, T> List<Answer<T>> all(List<ActorRef<M>> targets, List<String> names, Function<ActorRef<T>, M> message) {
      return all(targets, names, (i, r) -> message.apply(r));
    }

    private <M, T> List<Answer<T>> all(List<ActorRef<M>> targets, List<String> names,
        BiFunction<Integer, ActorRef<T>, M> message) {
      Fanout<M, T> fanout = new Fanout<>(targets, message, System.nanoTime() + timeout.toNanos());
      // One task enters the pool from this thread; the first window is sent from inside it.
      system.executionContext().execute(() -> fanout.release(Math.min(maxInFlight, targets.size())));
      boolean interrupted = false;
      try {
        fanout.answered.await(timeout.toNanos() + 1_000_000_000L, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        interrupted = true;
      } finally {
        fanout.closed = true;
      }
      List<Answer<T>> answers = new ArrayList<>(targets.size());
      for (int i = 0; i < targets.size(); i++) {
        Object outcome = fanout.outcomes.get(i);
        if (outcome instanceof Throwable failure) {
          answers.add(new Answer<>(names.get(i), null, "no answer within " + timeout.toMillis() + " ms ("
              + failure.getClass().getSimpleName() + ")"));
        } else if (outcome == null) {
          // Past the deadline and its grace: a timeout, whether or not the ask's own timer (Akka's
          // scheduler, late on a starved machine) has fired yet. The same words either way.
          answers.add(new Answer<>(names.get(i), null, interrupted ? "interrupted while waiting for an answer"
              : "no answer within " + timeout.toMillis() + " ms (" + TimeoutException.class.getSimpleName() + ")"));
        } else {
          @SuppressWarnings("unchecked")
          T reply = (T) outcome;
          answers.add(new Answer<>(names.get(i), reply, null));
        }
      }
      return answers;
    }

    /**
     * One command to each host, one ask per host: its temporary ref completes in the replying
     * thread. A single collector actor was measured slower (every reply through one mailbox): 10k
     * barrier 121 ms vs ~100 ms, 100k 1.05 s vs 0.67 s (bench/run.sh, 2 cores).
     */
    List<Answer<HostReply>> hosts(List<ApplicationTree.Host> hosts, Function<ActorRef<HostReply>, HostCommand> command) {
      List<ActorRef<Object>> refs = hosts.stream().map(ApplicationTree.Host::ref).toList();
      List<String> names = hosts.stream().map(ApplicationTree.Host::path).toList();
      return all(refs, names, (i, r) -> command.apply(r));
    }

    /** One command to each host, made for the host's index in {@code hosts}. */
    List<Answer<HostReply>> hostsEach(List<ApplicationTree.Host> hosts,
        BiFunction<Integer, ActorRef<HostReply>, HostCommand> command) {
      List<ActorRef<Object>> refs = hosts.stream().map(ApplicationTree.Host::ref).toList();
      List<String> names = hosts.stream().map(ApplicationTree.Host::path).toList();
      return all(refs, names, command::apply);
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
      private final BiFunction<Integer, ActorRef<T>, M> message;
      private final long deadline;
      private final AtomicInteger next = new AtomicInteger();
      private final AtomicInteger credits = new AtomicInteger();
      private final AtomicBoolean pumping = new AtomicBoolean();
      final AtomicReferenceArray<Object> outcomes;
      final CountDownLatch answered;
      /** Set when the caller stopped waiting: nothing is sent after that. */
      volatile boolean closed;

      Fanout(List<ActorRef<M>> targets, BiFunction<Integer, ActorRef<T>, M> message, long deadline) {
        this.targets = targets;
        this.message = message;
        this.deadline = deadline;
        this.outcomes = new AtomicReferenceArray<>(targets.size());
        this.answered = new CountDownLatch(targets.size());
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
        try {
          // Runs in the replying actor's thread, or here when the answer is already in. Plain
          // whenComplete would not: Scala's CompletionStage runs every callback on the common pool,
          // which on 2 cores is a new thread per task.
          AskPattern.<M, T>ask(targets.get(i), r -> message.apply(i, r), Duration.ofNanos(left), system.scheduler())
              .whenCompleteAsync((reply, failure) -> answer(i, failure != null ? failure : reply), Runnable::run);
        } catch (RuntimeException e) {
          answer(i, e);
        }
      }

      private void answer(int i, Object outcome) {
        outcomes.set(i, outcome);
        answered.countDown();
        release(1);
      }
    }
  }
}
