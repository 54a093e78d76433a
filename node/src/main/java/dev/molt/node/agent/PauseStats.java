package dev.molt.node.agent;

import java.util.Arrays;

/**
 * Per-actor pauses of an install (suspended time in barrier mode, its block's suspension in pipelined
 * mode), for each step and for the whole install.
 */
final class PauseStats {

  /** Pause percentiles in nanoseconds; zero when nothing paused. */
  record Summary(long max, long p99, long p50) {
    static final Summary NONE = new Summary(0, 0, 0);
  }

  private long[] pauses = new long[64];
  private int size;

  void add(long nanos) {
    if (size == pauses.length) {
      pauses = Arrays.copyOf(pauses, size * 2);
    }
    pauses[size++] = nanos;
  }

  /** A position to summarise from, taken before a step. */
  int mark() {
    return size;
  }

  /** The pauses added since {@code mark}. */
  Summary since(int mark) {
    return summarise(Arrays.copyOfRange(pauses, mark, size));
  }

  Summary all() {
    return since(0);
  }

  /** Every pause so far, in the order they were added. */
  long[] values() {
    return Arrays.copyOf(pauses, size);
  }

  static Summary summarise(long[] values) {
    if (values.length == 0) {
      return Summary.NONE;
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return new Summary(sorted[sorted.length - 1], percentile(sorted, 0.99), percentile(sorted, 0.50));
  }

  private static long percentile(long[] sorted, double fraction) {
    return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * fraction) - 1))];
  }
}
