package dev.molt.orchestrator.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests refused at the edge, counted per bound (a config key, or the field refused) since the
 * node started, each logged with its count: a bound that is hit is seen, not silent.
 */
final class Refusals {
  private static final Logger log = LoggerFactory.getLogger(Refusals.class);
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  /** Counts a refusal at {@code bound} and logs it with the request's route and the reason. */
  void count(String bound, String route, String detail) {
    LongAdder count = counts.computeIfAbsent(bound, b -> new LongAdder());
    count.increment();
    log.info("refused {}: bound={} refusals={} detail={}", route, bound, count.sum(), detail);
  }

  /** Refusals so far, by bound. */
  Map<String, Long> counts() {
    Map<String, Long> snapshot = new TreeMap<>();
    counts.forEach((bound, count) -> snapshot.put(bound, count.sum()));
    return snapshot;
  }
}
