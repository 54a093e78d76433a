package dev.molt.orchestrator.events;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rollout event's id, the same on every node: {@code <incarnation>-<seq>}, where the incarnation
 * is the orchestrator singleton that numbered the event (its start, in epoch milliseconds, above
 * any incarnation its node heard of: a moved or restarted singleton never reuses an id) and the
 * sequence counts its events from 1. Ids order by incarnation, then sequence.
 */
public record EventId(long incarnation, long seq) implements Comparable<EventId> {
  private static final Pattern TEXT = Pattern.compile("(\\d{1,18})-(\\d{1,18})|(\\d{1,18})");

  /**
   * The id a client sent back; empty when it is not one. A bare number (the ids of the first
   * version, numbered by each node) is an id of incarnation 0, older than any now numbered.
   */
  public static Optional<EventId> parse(String text) {
    Matcher m = TEXT.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(m.group(3) != null ? new EventId(0, Long.parseLong(m.group(3)))
        : new EventId(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
  }

  EventId next() {
    return new EventId(incarnation, seq + 1);
  }

  @Override
  public int compareTo(EventId other) {
    int byIncarnation = Long.compare(incarnation, other.incarnation);
    return byIncarnation != 0 ? byIncarnation : Long.compare(seq, other.seq);
  }

  boolean isAfter(EventId other) {
    return compareTo(other) > 0;
  }

  @Override
  public String toString() {
    return incarnation + "-" + seq;
  }
}
