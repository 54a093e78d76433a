package dev.molt.node.agent;

import dev.molt.node.supervision.ApplicationTree;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hosts of a pipelined change, cut into blocks in path order and handed to up to {@code
 * molt.install.blocks-in-flight} install threads, each taking the next block when it finishes one.
 * Several blocks at once keep the cores busy while one block's answers travel, and under a
 * saturated fork-join dispatcher they overlap the wait each block's asks have to enter the pool.
 * Once a failure is recorded no block after the failed one starts (one handed out just before may);
 * every block before it still changes, and those under way finish (switched, or left suspended for
 * the step's undo to resume). Then the earliest block's failure is the step's.
 */
final class PipelinedBlocks {
  private static final Logger log = LoggerFactory.getLogger(PipelinedBlocks.class);

  /** What happens to one block: suspended, changed and resumed, or a failure. */
  interface Change {
    void run(List<ApplicationTree.Host> block) throws InstallFailure;
  }

  private final String step;
  private final List<ApplicationTree.Host> hosts;
  private final int size;
  private final long deadline;
  private final Duration timeout;
  private final LongSupplier clock;
  private final AtomicInteger next = new AtomicInteger();
  private InstallFailure failure;
  private int failedBlock = Integer.MAX_VALUE;

  /** {@code deadline} in {@link System#nanoTime}; {@code timeout} the step's, for the message. */
  PipelinedBlocks(String step, List<ApplicationTree.Host> hosts, int size, long deadline, Duration timeout) {
    this(step, hosts, size, deadline, timeout, System::nanoTime);
  }

  /** With another clock than {@link System#nanoTime} (tests). */
  PipelinedBlocks(String step, List<ApplicationTree.Host> hosts, int size, long deadline, Duration timeout,
      LongSupplier clock) {
    this.step = step;
    this.hosts = hosts;
    this.size = size;
    this.deadline = deadline;
    this.timeout = timeout;
    this.clock = clock;
  }

  /** Runs every block, {@code inFlight} at a time, on this thread and helpers; returns when all ended. */
  void run(int inFlight, Change change) throws InstallFailure {
    int threads = Math.min(inFlight, (hosts.size() + size - 1) / size);
    List<Thread> helpers = new ArrayList<>();
    for (int i = 1; i < threads; i++) {
      Thread helper = new Thread(() -> take(change), Thread.currentThread().getName() + "-block-" + i);
      helper.setDaemon(true);
      try {
        helper.start();
      } catch (Throwable e) {
        // Fewer threads, not a failed step: the blocks are shared by those that started.
        log.warn("{}: {} of {} install threads started ({}); going on with them", step, helpers.size() + 1, threads,
            e.toString());
        break;
      }
      helpers.add(helper);
    }
    take(change);
    boolean interrupted = false;
    for (Thread helper : helpers) {
      // Not given up on: each block is bounded by the step's deadline, and the undo must not run
      // while a helper is still changing its block.
      while (helper.isAlive()) {
        try {
          helper.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (failure != null) {
        throw failure;
      }
    }
  }

  private void take(Change change) {
    for (int index = next.getAndIncrement(); (long) index * size < hosts.size() && !afterFailure(index);
        index = next.getAndIncrement()) {
      int from = index * size;
      try {
        if (clock.getAsLong() - deadline >= 0) {
          throw new InstallFailure(step, null, "the step's " + timeout.toMillis() + " ms ran out after " + from
              + " of " + hosts.size() + " actors (molt.install.step-timeout, or the update's own timeout)");
        }
        change.run(hosts.subList(from, Math.min(hosts.size(), from + size)));
      } catch (InstallFailure e) {
        fail(index, e);
      } catch (RuntimeException | Error e) {
        // A helper thread has no caller to throw to: the step fails with it instead of losing it.
        fail(index, new InstallFailure(step, null, e.toString()));
      }
    }
  }

  /** A block after a failed one is not started; one before it still is (it was handed out in order). */
  private synchronized boolean afterFailure(int index) {
    return index > failedBlock;
  }

  private synchronized void fail(int index, InstallFailure e) {
    if (index < failedBlock) {
      failedBlock = index;
      failure = e;
    }
  }
}
