package dev.molt.node.release;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls into release code that their callers do not wait for (a host's swap: the actor stashes
 * meanwhile and is told the result), run back to back by at most one release-code thread per core.
 * Thousands of swaps (an install's revert of running actors) cost one thread hop per burst, not two per actor, and
 * no dispatcher thread blocks on release code.
 *
 * <p>Each call is watched by its caller ({@link ReleaseThreads.Task#deadlineNanos}): one over its
 * limit is abandoned with its thread, as {@link ReleaseThreads#call} abandons one, and a new thread
 * takes over the rest of the queue.
 */
final class ReleaseCodeQueue {
  /** How long a thread that emptied the queue looks for more before it leaves. */
  private static final long HOT_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

  private final ConcurrentLinkedQueue<ReleaseThreads.Task<?>> calls = new ConcurrentLinkedQueue<>();
  /** Threads taking calls from the queue now (an abandoned one no longer counts). */
  private final AtomicInteger threads = new AtomicInteger();
  private final int maxThreads;
  private final Executor starter;
  /** When a thread last took a call ({@link System#nanoTime}). */
  private volatile long lastMoved = System.nanoTime();

  ReleaseCodeQueue(Executor starter, int maxThreads) {
    this.starter = starter;
    this.maxThreads = maxThreads;
  }

  /** Queues {@code call}, whose thread-lost hook is {@link #threadLost}. */
  void add(ReleaseThreads.Task<?> call) {
    calls.add(call);
    claimThread();
  }

  /** Starts a thread unless enough are taking calls already. */
  private void claimThread() {
    if (reserve()) {
      try {
        starter.execute(this::takeCalls);
      } catch (RuntimeException | Error e) {
        threads.decrementAndGet();
        throw e;
      }
    }
  }

  /**
   * When a thread last took a call: a queued call's wait for its thread counts from here, so a
   * call behind slow ones is not given up on while the queue moves.
   */
  long lastMoved() {
    return lastMoved;
  }

  private boolean reserve() {
    int now;
    do {
      now = threads.get();
      if (now >= maxThreads) {
        return false;
      }
    } while (!threads.compareAndSet(now, now + 1));
    return true;
  }

  /** A thread was abandoned with a call over its limit: another takes over what is queued. */
  void threadLost() {
    threads.decrementAndGet();
    if (!calls.isEmpty()) {
      claimThread();
    }
  }

  private void takeCalls() {
    while (true) {
      ReleaseThreads.Task<?> call = next();
      if (call == null) {
        threads.decrementAndGet();
        // A call queued while this thread was leaving may have found every thread taken.
        if (calls.isEmpty() || !reserve()) {
          return;
        }
        continue;
      }
      lastMoved = System.nanoTime();
      if (!call.runHere()) {
        return; // abandoned with its call: threadLost() has counted it
      }
    }
  }

  private ReleaseThreads.Task<?> next() {
    long until = System.nanoTime() + HOT_NANOS;
    ReleaseThreads.Task<?> call;
    while ((call = calls.poll()) == null && System.nanoTime() - until < 0) {
      Thread.onSpinWait();
    }
    return call;
  }
}
