package dev.molt.bench;

import java.util.Arrays;

/** Latencies in microseconds, unboxed: millions of calls must not feed the GC they are measuring. */
final class LatencyLog {
  private long[] values = new long[1 << 14];
  private int size;

  void add(long micros) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = micros;
  }

  int size() {
    return size;
  }

  /** Every value of these logs, sorted. */
  static long[] sortedUnion(Iterable<LatencyLog> logs) {
    int total = 0;
    for (LatencyLog log : logs) {
      total += log.size;
    }
    long[] all = new long[total];
    int at = 0;
    for (LatencyLog log : logs) {
      System.arraycopy(log.values, 0, all, at, log.size);
      at += log.size;
    }
    Arrays.sort(all);
    return all;
  }
}
