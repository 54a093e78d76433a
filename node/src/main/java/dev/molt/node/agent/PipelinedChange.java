package dev.molt.node.agent;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.pattern.AskTimeoutException;
import dev.molt.node.host.CodeChange;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import dev.molt.node.agent.PipelinedBlock.Miss;
import dev.molt.node.agent.PipelinedBlock.Phase;
import dev.molt.node.agent.PipelinedBlock.Round;
import dev.molt.node.supervision.ApplicationTree;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * A pipelined change of one behaviour's hosts, in blocks in path order, {@code inFlight} blocks at
 * a time: each block lends its states (its hosts suspend), its migrations are prepared on
 * release-code threads, and each host switches and resumes in one message, so an actor is
 * unavailable only while its own block changes.
 *
 * <p>The install thread drives every block and waits on none: it sends a block's commands, and
 * the host whose answer completes a phase hands the block back to it through one queue, so the
 * thread sleeps only when no block has anything to do. It is the only thread that decides: a
 * failure stops new blocks (blocks under way finish: switched, or left suspended for the step's
 * undo), and the earliest failing block's failure is the step's. Commands enter the dispatcher
 * from one task per block and phase, and nothing is sent once the step gave up, so the undo never
 * meets a command sent after it.
 */
final class PipelinedChange {
  /** How often the install thread looks for hosts that stopped without answering. */
  private static final long LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long WAIT_LAST_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /** What the step asks of its hosts, and the preparation between its two rounds. */
  @FunctionalInterface
  interface Commands {
    /** The blocks' migrations, from what their hosts lent (null: the host lent nothing), in order. */
    List<CodeChange.Prepared> prepare(List<CodeChange.Source> sources);

    /** Suspends a host, which answers {@link HostReply.Suspended} with what its migration reads. */
    default HostCommand lend(ActorRef<HostReply> replyTo) {
      return new HostCommand.SuspendForChange(replyTo);
    }

    /** Switches a host to its prepared migration and resumes it: answered {@link HostReply.Done}. */
    default HostCommand change(CodeChange.Prepared prepared, ActorRef<HostReply> replyTo) {
      return new HostCommand.ChangeCodePrepared(prepared, true, replyTo);
    }
  }

  private final String install;
  private final String step;
  private final List<ApplicationTree.Host> hosts;
  private final int size;
  private final long deadline;
  private final Duration timeout;
  private final ActorSystem<?> system;
  private final Commands commands;
  private final Predicate<ApplicationTree.Host> gone;
  private final LinkedBlockingQueue<PipelinedBlock> ready = new LinkedBlockingQueue<>();
  private final Set<PipelinedBlock> underWay = new LinkedHashSet<>();
  private final List<HostReply> done = new ArrayList<>();
  private int nextBlock;
  /** Set under this object's lock when the step gives up: no command is sent after it. */
  private boolean closed;
  private InstallFailure failure;
  private int failedBlock = Integer.MAX_VALUE;

  /** {@code deadline} in {@link System#nanoTime}; {@code timeout} the step's, for the messages. */
  PipelinedChange(String install, String step, List<ApplicationTree.Host> hosts, int size, long deadline, Duration timeout,
      ActorSystem<?> system, Commands commands, Predicate<ApplicationTree.Host> gone) {
    this.install = install;
    this.step = step;
    this.hosts = hosts;
    this.size = size;
    this.deadline = deadline;
    this.timeout = timeout;
    this.system = system;
    this.commands = commands;
    this.gone = gone;
  }

  /**
   * Changes every block, {@code inFlight} at a time; {@code touched} hears of each block before
   * its hosts are asked anything. Returns every changed host's reply, or throws the
   * earliest failing block's failure once no block is under way.
   */
  List<HostReply> run(int inFlight, Consumer<List<ApplicationTree.Host>> touched) throws InstallFailure {
    try {
      while (underWay.size() < inFlight && start(touched)) {
        // started
      }
      long looked = System.nanoTime();
      while (!underWay.isEmpty()) {
        long left = deadline - System.nanoTime();
        // Past the deadline only blocks whose last answer is on its way are left: a short wait for it.
        PipelinedBlock block =
            ready.poll(left <= 0 ? WAIT_LAST_NANOS : Math.min(left, LOOK_NANOS), TimeUnit.NANOSECONDS);
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedException();
        }
        if (System.nanoTime() - looked >= LOOK_NANOS || System.nanoTime() - deadline >= 0) {
          missGoneHosts();
          looked = System.nanoTime();
        }
        take(block);
        if (System.nanoTime() - deadline >= 0) {
          outOfTime();
        }
        while (failure == null && underWay.size() < inFlight && start(touched)) {
          // a block ended: the next one starts (or the step's time ran out before it)
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      // A failure, whatever else failed: the blocks under way are left as they are, for the undo.
      failure = failure != null ? failure : new InstallFailure(step, null, "interrupted while waiting for answers");
    } finally {
      synchronized (this) {
        closed = true;
      }
    }
    if (failure != null) {
      throw failure;
    }
    return done;
  }

  /**
   * {@code block} and every other block ready by now take their turn: those whose hosts lent are
   * prepared together, those whose hosts changed go on or end.
   */
  private void take(PipelinedBlock block) {
    List<PipelinedBlock> turn = new ArrayList<>();
    if (block != null) {
      turn.add(block);
    }
    ready.drainTo(turn);
    if (turn.isEmpty()) {
      return;
    }
    turn.removeIf(b -> !underWay.contains(b));
    List<PipelinedBlock> changed = turn.stream().filter(b -> b.phase != Phase.LENDING).toList();
    prepareLent(turn.stream().filter(b -> b.phase == Phase.LENDING).toList());
    changed.forEach(this::advance);
  }

  /** Starts the next block unless none is left or the step's time ran out (which fails it). */
  private boolean start(Consumer<List<ApplicationTree.Host>> touched) {
    int from = nextBlock * size;
    if (from >= hosts.size()) {
      return false;
    }
    PipelinedBlock block = new PipelinedBlock(nextBlock++, hosts.subList(from, Math.min(hosts.size(), from + size)));
    if (System.nanoTime() - deadline >= 0) {
      fail(block.index, new InstallFailure(step, null, "the step's " + timeout.toMillis() + " ms ran out after " + from
          + " of " + hosts.size() + " actors (molt.install.step-timeout, or the update's own timeout)"));
      return false;
    }
    touched.accept(block.hosts);
    underWay.add(block);
    ask(block, IntStream.range(0, block.hosts.size()).boxed().toList(), (i, replyTo) -> commands.lend(replyTo));
    return true;
  }

  /**
   * The lent states of blocks whose hosts all lent, prepared in one go: a backlog of blocks costs
   * one trip to the release-code threads, not one per block. Then each block changes.
   */
  private void prepareLent(List<PipelinedBlock> blocks) {
    List<PipelinedBlock> lent = new ArrayList<>(blocks.size());
    List<CodeChange.Source> sources = new ArrayList<>();
    for (PipelinedBlock block : blocks) {
      try {
        replies(block);
        for (int i = 0; i < block.hosts.size(); i++) {
          // A host that left the tree lent nothing: its slot stays empty.
          sources.add(block.round.answers().get(i) instanceof HostReply.Suspended suspended ? suspended.source() : null);
        }
        lent.add(block);
      } catch (InstallFailure e) {
        ended(block, e);
      }
    }
    if (lent.isEmpty()) {
      return;
    }
    if (System.nanoTime() - deadline >= 0) {
      // No migration starts after the step's time: nothing would watch it any more.
      lent.forEach(block -> ended(block, new InstallFailure(step, block.hosts.get(0).path(), Asks.noAnswer(timeout,
          TimeoutException.class) + ": its migration had not started when the step's time ran out")));
      return;
    }
    List<CodeChange.Prepared> prepared;
    try {
      prepared = commands.prepare(sources);
    } catch (RuntimeException e) {
      lent.forEach(block -> ended(block, new InstallFailure(step, null, "preparing the migrations failed: " + e)));
      return;
    }
    if (Thread.currentThread().isInterrupted()) {
      return; // the preparation was cut short: run() fails the step as interrupted, the blocks left suspended
    }
    for (int b = 0, from = 0; b < lent.size(); b++) {
      PipelinedBlock block = lent.get(b);
      block.prepared = prepared.subList(from, from + block.hosts.size());
      from += block.hosts.size();
      try {
        change(block);
      } catch (InstallFailure e) {
        ended(block, e);
      }
    }
  }

  /**
   * Hosts whose migration failed are asked first: they answer the failure in their own words and
   * the block fails with the others still suspended on their code, none changed only to be changed
   * back. A host that stopped during the step has nothing to change.
   */
  private void change(PipelinedBlock block) throws InstallFailure {
    List<Integer> failedFirst = new ArrayList<>();
    block.others = new ArrayList<>();
    for (int i = 0; i < block.hosts.size(); i++) {
      if (block.round.answers().get(i) instanceof Miss) {
        continue;
      }
      if (block.prepared.get(i).outOfTime()) {
        throw new InstallFailure(step, block.hosts.get(i).path(), Asks.noAnswer(timeout, TimeoutException.class)
            + ": its migration had not finished when the step's time ran out");
      }
      (block.prepared.get(i).failed() ? failedFirst : block.others).add(i);
    }
    block.phase = failedFirst.isEmpty() ? Phase.CHANGING : Phase.CHANGING_FAILED_FIRST;
    List<Integer> first = failedFirst.isEmpty() ? block.others : failedFirst;
    ask(block, first, (i, replyTo) -> commands.change(block.prepared.get(i), replyTo));
  }

  /** The install thread's turn for a block whose hosts all answered their change. */
  private void advance(PipelinedBlock block) {
    try {
      done.addAll(replies(block));
      if (block.phase == Phase.CHANGING_FAILED_FIRST && !block.others.isEmpty()) {
        // Every host whose prepared migration failed migrated itself (its state was replaced since it lent it).
        block.phase = Phase.CHANGING;
        ask(block, block.others, (i, replyTo) -> commands.change(block.prepared.get(i), replyTo));
      } else {
        underWay.remove(block);
      }
    } catch (InstallFailure e) {
      ended(block, e);
    }
  }

  private void ended(PipelinedBlock block, InstallFailure e) {
    underWay.remove(block);
    fail(block.index, e);
  }

  /** The round's answers, checked as every step checks its hosts' answers ({@link Asks#expectAll}). */
  private List<HostReply> replies(PipelinedBlock block) throws InstallFailure {
    Round round = block.round;
    List<ApplicationTree.Host> asked = round.asked().stream().map(block.hosts::get).toList();
    List<String> names = Asks.view(asked, ApplicationTree.Host::path);
    List<Asks.Answer<HostReply>> answers = new ArrayList<>(asked.size());
    for (int k = 0; k < asked.size(); k++) {
      Object answer = round.answers().get(k);
      answers.add(answer instanceof Miss miss ? new Asks.Answer<>(names, k, null, miss.error())
          : new Asks.Answer<>(names, k, (HostReply) answer, null));
    }
    Class<? extends HostReply> expected = block.phase == Phase.LENDING ? HostReply.Suspended.class : HostReply.Done.class;
    return List.copyOf(Asks.expectAll(install, step, asked, expected, answers, gone));
  }

  /** Asks the block's hosts at {@code indexes}, from one task on the dispatcher (not this thread). */
  private void ask(PipelinedBlock block, List<Integer> indexes, BiFunction<Integer, ActorRef<HostReply>, HostCommand> command) {
    Round round = new Round(indexes);
    block.round = round;
    if (indexes.isEmpty()) {
      ready.add(block);
      return;
    }
    system.executionContext().execute(() -> {
      synchronized (this) {
        if (closed) {
          return;
        }
        for (int k = 0; k < indexes.size(); k++) {
          ActorRef<Object> ref = block.hosts.get(indexes.get(k)).ref();
          int i = indexes.get(k);
          int slot = k;
          try {
            if (System.nanoTime() - deadline >= 0) {
              // A command that arrives after its step gave up could undo what the step's undo just did.
              answer(block, round, k, new Miss(Asks.noAnswer(timeout, TimeoutException.class)));
            } else if (AnswerRef.stopped(ref)) {
              answer(block, round, k, new Miss(Asks.noAnswer(timeout, AskTimeoutException.class)
                  + ": it had already stopped"));
            } else {
              ref.tell(command.apply(i, new AnswerRef<>(system, () -> block.hosts.get(i).path(),
                  reply -> answer(block, round, slot, reply))));
            }
          } catch (RuntimeException e) {
            answer(block, round, k, new Miss("not asked: " + e));
          }
        }
      }
    });
  }

  /** The first answer counts; the one that completes the round hands the block to the install thread. */
  private void answer(PipelinedBlock block, Round round, int k, Object answer) {
    if (round.answers().compareAndSet(k, null, answer) && round.pending().decrementAndGet() == 0) {
      ready.add(block);
    }
  }

  /**
   * The step's time ran out. Blocks whose hosts all answered take their turn (their answers, a
   * failure among them, count; a preparation now finds no time left); every block still waiting
   * fails with a host that has not answered.
   */
  private void outOfTime() {
    for (PipelinedBlock block : List.copyOf(underWay)) {
      if (block.round.pending().get() == 0) {
        continue; // its round ended meanwhile: its last answer is on its way, and its turn comes next
      }
      underWay.remove(block);
      Round round = block.round;
      InstallFailure why = null;
      for (int k = 0; k < round.asked().size(); k++) {
        ApplicationTree.Host host = block.hosts.get(round.asked().get(k));
        Object answer = round.answers().get(k);
        if (answer instanceof HostReply.Failed failed) {
          why = new InstallFailure(step, host.path(), failed.cause()); // a host's own failure says more
          break;
        }
        if (why == null && (answer == null || answer instanceof Miss) && !gone.test(host)) {
          why = new InstallFailure(step, host.path(), Asks.noAnswer(timeout, TimeoutException.class));
        }
      }
      fail(block.index, why != null ? why
          : new InstallFailure(step, null, Asks.noAnswer(timeout, TimeoutException.class)));
    }
  }

  /** A host that stopped after it was asked never answers: it is not waited for until the deadline. */
  private void missGoneHosts() {
    for (PipelinedBlock block : List.copyOf(underWay)) {
      Round round = block.round;
      for (int k = 0; k < round.asked().size(); k++) {
        if (round.answers().get(k) == null && gone.test(block.hosts.get(round.asked().get(k)))) {
          answer(block, round, k, new Miss("stopped during the step"));
        }
      }
    }
  }

  /** Records a block's failure; the earliest block's stands, and no block starts after one. */
  private void fail(int index, InstallFailure e) {
    if (index < failedBlock) {
      failedBlock = index;
      failure = e;
    }
  }
}
