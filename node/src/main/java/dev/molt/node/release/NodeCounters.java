package dev.molt.node.release;

import java.util.concurrent.atomic.LongAdder;

/**
 * Node-wide counters that health gates watch: a bound that was hit is counted here, never silent.
 */
public final class NodeCounters {
  private final LongAdder stashOverflows = new LongAdder();
  private final LongAdder rejectedMessages = new LongAdder();
  private final LongAdder failedMigrations = new LongAdder();
  private final LongAdder codeChanges = new LongAdder();
  private final LongAdder unhandledMessages = new LongAdder();
  private final LongAdder expiredTransfers = new LongAdder();
  private final java.util.concurrent.atomic.AtomicInteger stuckThreads = new java.util.concurrent.atomic.AtomicInteger();

  public long stashOverflows() {
    return stashOverflows.sum();
  }

  /** Messages refused for any reason (stash overflow included). */
  public long rejectedMessages() {
    return rejectedMessages.sum();
  }

  public long failedMigrations() {
    return failedMigrations.sum();
  }

  /** Messages a behaviour's receive had no handler for (also counted as rejected). */
  public long unhandledMessages() {
    return unhandledMessages.sum();
  }

  public void unhandled() {
    unhandledMessages.increment();
  }

  public long codeChanges() {
    return codeChanges.sum();
  }

  /** Incoming bundle transfers dropped because their sender went quiet (molt.transfer.idle-timeout). */
  public long expiredTransfers() {
    return expiredTransfers.sum();
  }

  public void expiredTransfer() {
    expiredTransfers.increment();
  }

  /**
   * Threads running release code that did not return within its bound and were abandoned, and
   * have not returned since. Above zero the node is degraded: each may burn a core or hold locks.
   */
  public int stuckThreads() {
    return stuckThreads.get();
  }

  int threadStuck() {
    return stuckThreads.incrementAndGet();
  }

  int threadUnstuck() {
    return stuckThreads.decrementAndGet();
  }

  public void stashOverflow() {
    stashOverflows.increment();
  }

  public void rejected() {
    rejectedMessages.increment();
  }

  public void failedMigration() {
    failedMigrations.increment();
  }

  public void codeChanged() {
    codeChanges.increment();
  }
}
