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
  private final LongAdder expiredTransfers = new LongAdder();

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
