package dev.molt.node.agent;

import dev.molt.node.supervision.ApplicationTree;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The hosts of a pipelined change, cut into blocks in path order and handed to up to {@code
 * molt.install.blocks-in-flight} install threads, each taking the next block when it finishes one.
 * Several blocks at once keep the cores busy while one block's answers travel, and under a
 * saturated fork-join dispatcher they overlap the wait each block's asks have to enter the pool.
 * The first failure stops the handing out; blocks already under way finish (switched, or left
 * suspended for the step's undo to resume), then the earliest block's failure is the step's.
 */
final class PipelinedBlocks {

  /** What happens to one block: suspended, changed and resumed, or a failure. */
  interface Change {
    void run(List<ApplicationTree.Host> block) throws InstallFailure;
  }

  private final String step;
  private final List<ApplicationTree.Host> hosts;
  private final int size;
  private final long deadline;
  private final Duration timeout;
  private final AtomicInteger next = new AtomicInteger();
  private volatile boolean stopped;
  private InstallFailure failure;
  private int failedBlock = Integer.MAX_VALUE;

  /** {@code deadline} in {@link System#nanoTime}; {@code timeout} the step's, for the message. */
  PipelinedBlocks(String step, List<ApplicationTree.Host> hosts, int size, long deadline, Duration timeout) {
    this.step = step;
    this.hosts = hosts;
    this.size = size;
    this.deadline = deadline;
    this.timeout = timeout;
  }

  /** Runs every block, {@code inFlight} at a time, on this thread and helpers; returns when all ended. */
  void run(int inFlight, Change change) throws InstallFailure {
    int threads = Math.min(inFlight, (hosts.size() + size - 1) / size);
    List<Thread> helpers = new ArrayList<>();
    for (int i = 1; i < threads; i++) {
      Thread helper = new Thread(() -> take(change), Thread.currentThread().getName() + "-block-" + i);
      helper.setDaemon(true);
      helper.start();
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
    for (int index = next.getAndIncrement(); !stopped && (long) index * size < hosts.size();
        index = next.getAndIncrement()) {
      int from = index * size;
      try {
        if (System.nanoTime() - deadline >= 0) {
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

  private synchronized void fail(int index, InstallFailure e) {
    stopped = true;
    if (index < failedBlock) {
      failedBlock = index;
      failure = e;
    }
  }
}
