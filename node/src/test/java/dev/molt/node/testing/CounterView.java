package dev.molt.node.testing;

/**
 * A stable reading of any counter version's {@code "counter"} reply: v1 says {@code count}, v2
 * and v3 say {@code total}; absent fields read as zero or null.
 */
public record CounterView(
    int version, Long count, Long total, long lastSeq, long gaps, long pongs, String label, Long history) {

  /** The number of increments counted, whatever the version calls it. */
  public long counted() {
    return count != null ? count : total;
  }
}
