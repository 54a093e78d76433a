package dev.molt.node.release;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * Many calls into release code of one kind (the migrations of a barrier install's suspended hosts)
 * run back to back on a few release-code threads, each taking the next item when it finishes one:
 * one thread hop per thread, not per item. Each item is watched on its own: one over its limit is
 * abandoned with its thread, as {@link ReleaseThreads#call} abandons a call, and that thread takes
 * no more items. When every thread has been on its item for a while, another joins: up to one
 * per core while they compute, and beyond that, up to a maximum, only while none of them is using
 * the CPU (release code that sleeps, waits or blocks), so slow items still run side by side. More
 * threads than cores for code that computes would only slow every item down, and item limits are
 * wall-clock time. At the deadline no more items are handed out; those not finished by then are
 * answered null.
 */
final class ReleaseCodeBatch<I, R> {
  /** The longest every thread must have been on its item before another joins; shorter for short limits. */
  private static final long JOIN_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /** The part of an item's limit every thread must have spent on its item before another joins. */
  private static final int JOIN_AFTER_LIMIT_PARTS = 10;
  private static final long WATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /** An item a thread is on, and since when. */
  private record Turn(int item, long startedAt) {}

  /** One thread of the batch. */
  private final class Run {
    private volatile Turn turn;
    private volatile Thread thread;
    private ReleaseThreads.Task<Void> task;
  }

  private final ReleaseThreads threads;
  private final List<I> items;
  private final Duration limit;
  private final String setting;
  private final Function<I, String> what;
  private final ReleaseThreads.ItemBody<I, R> body;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicReferenceArray<Object> results;
  /** Who answers each item: its thread when it returns in time, or the watcher when it overran. Once. */
  private final AtomicIntegerArray answered;
  private final CountDownLatch finished;
  private volatile boolean closed;

  ReleaseCodeBatch(ReleaseThreads threads, List<I> items, Duration limit, String setting, Function<I, String> what,
      ReleaseThreads.ItemBody<I, R> body) {
    this.threads = threads;
    this.items = items;
    this.limit = limit;
    this.setting = setting;
    this.what = what;
    this.body = body;
    this.results = new AtomicReferenceArray<>(items.size());
    this.answered = new AtomicIntegerArray(items.size());
    this.finished = new CountDownLatch(items.size());
  }

  /**
   * Each item's result in item order: what the body returned, what it threw (an {@link Error} ends
   * its thread; the other items go on), the {@link ReleaseCodeTimeoutException} of an item over its
   * limit, or null for an item not finished by {@code deadlineNanos}.
   */
  List<Object> run(int initialThreads, int maxThreads, long deadlineNanos) {
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < Math.max(1, Math.min(initialThreads, items.size())); i++) {
      runs.add(start());
    }
    Map<Integer, ReleaseCodeTimeoutException> overran = new HashMap<>();
    try {
      while (!finished.await(WATCH_NANOS, TimeUnit.NANOSECONDS) && System.nanoTime() - deadlineNanos < 0) {
        watch(runs, overran, Math.max(1, maxThreads));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closed = true;
    }
    List<Object> answers = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      answers.add(overran.containsKey(i) ? overran.get(i) : results.get(i));
    }
    return answers;
  }

  /**
   * Abandons the threads whose item ran over its limit; adds a thread when none is left, or when all
   * are slow and either there are fewer than cores or none of them is on the CPU.
   */
  private void watch(List<Run> runs, Map<Integer, ReleaseCodeTimeoutException> overran, int maxThreads) {
    long now = System.nanoTime();
    long joinAfter = Math.min(JOIN_AFTER_NANOS, limit.toNanos() / JOIN_AFTER_LIMIT_PARTS);
    boolean allSlow = true;
    boolean noneComputing = true;
    for (Iterator<Run> it = runs.iterator(); it.hasNext(); ) {
      Run run = it.next();
      if (run.task.ended()) {
        it.remove();
        continue;
      }
      Turn turn = run.turn;
      if (turn == null) {
        allSlow = false; // not started yet
        continue;
      }
      if (now - turn.startedAt() > limit.toNanos() && run.turn == turn && answered.compareAndSet(turn.item(), 0, 1)) {
        String where = run.task.abandon() ? run.task.describeAbandoned() : "it returned as it was abandoned";
        overran.put(turn.item(), new ReleaseCodeTimeoutException(what.apply(items.get(turn.item())),
            ReleaseThreads.timeoutBound(false, true, limit, setting), where));
        finished.countDown();
        it.remove();
        continue;
      }
      if (now - turn.startedAt() < joinAfter) {
        allSlow = false;
      }
      noneComputing &= !computing(run.thread);
    }
    boolean itemsLeft = next.get() < items.size();
    boolean roomForOne = runs.size() < Math.min(maxThreads, Runtime.getRuntime().availableProcessors())
        || noneComputing && runs.size() < maxThreads;
    if (itemsLeft && (runs.isEmpty() || allSlow && roomForOne)) {
      runs.add(start());
    }
  }

  /** Runnable (on a core or waiting for one), as opposed to sleeping, waiting or blocked on a lock. */
  private static boolean computing(Thread thread) {
    return thread == null || thread.getState() == Thread.State.RUNNABLE;
  }

  private Run start() {
    Run run = new Run();
    run.task = threads.start("calls of " + items.size(), task -> () -> {
      run.thread = Thread.currentThread();
      int i;
      while (!closed && task.running() && (i = next.getAndIncrement()) < items.size()) {
        I item = items.get(i);
        task.turn(what.apply(item));
        run.turn = new Turn(i, System.nanoTime());
        Object result;
        try {
          result = body.run(item);
        } catch (Throwable e) {
          // Answered at once: the item must not wait for the deadline because its thread ended.
          result = e;
        }
        if (!answered.compareAndSet(i, 0, 1)) {
          break; // abandoned: its item is answered as over its limit
        }
        results.set(i, result);
        finished.countDown();
        if (result instanceof Error error) {
          throw error;
        }
      }
      return null;
    });
    return run;
  }
}
