package dev.molt.orchestrator.auth;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows down password guessing per client address: a token bucket of {@code burst} failed
 * attempts, one more every {@code refill}. Each attempt reserves a token before its credentials
 * are checked (refunded when they are right); a client whose bucket is empty is answered 429 with
 * {@code Retry-After}; nothing waits on a thread. At most {@code
 * max-clients} buckets are kept (the least recently seen one is dropped, with a WARN and a count).
 */
public final class FailureLimiter {
  private static final Logger log = LoggerFactory.getLogger(FailureLimiter.class);

  private final int burst;
  private final long refillNanos;
  private final int maxClients;
  private final LongSupplier clock;
  private long dropped;
  private final Map<String, Bucket> buckets = new LinkedHashMap<>(64, 0.75f, true);

  private static final class Bucket {
    double tokens;
    long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }
  }

  public FailureLimiter(int burst, Duration refill, int maxClients, LongSupplier clock) {
    if (burst < 1 || refill.isNegative() || refill.isZero() || maxClients < 1) {
      throw new IllegalArgumentException("molt.http.login-failures: burst and max-clients must be 1 or more, refill over 0");
    }
    this.burst = burst;
    this.refillNanos = refill.toNanos();
    this.maxClients = maxClients;
    this.clock = clock;
  }

  public static FailureLimiter from(Config config) {
    Config c = config.getConfig("molt.http.login-failures");
    return new FailureLimiter(c.getInt("burst"), c.getDuration("refill"), c.getInt("max-clients"), System::nanoTime);
  }

  /**
   * Takes one token of {@code client} for an attempt about to be checked, before the (costly)
   * derivation, so that parallel attempts cannot all pass an empty bucket; {@link #refund} gives it
   * back when the credentials were right. Empty when a token was taken, else the seconds the client
   * must wait.
   */
  public synchronized OptionalLong reserve(String client) {
    Bucket bucket = refilled(client);
    if (bucket == null) {
      if (buckets.size() >= maxClients) {
        String oldest = buckets.keySet().iterator().next();
        buckets.remove(oldest);
        log.warn("login failures: {} clients tracked (molt.http.login-failures.max-clients): forgot {} ({} forgotten so far)",
            maxClients, oldest, ++dropped);
      }
      bucket = new Bucket(burst, clock.getAsLong());
      buckets.put(client, bucket);
    }
    if (bucket.tokens < 1) {
      long nanos = (long) Math.ceil((1 - bucket.tokens) * refillNanos);
      return OptionalLong.of(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
    }
    bucket.tokens -= 1;
    return OptionalLong.empty();
  }

  /** Gives back the token {@link #reserve} took: the attempt succeeded, or was never checked. */
  public synchronized void refund(String client) {
    Bucket bucket = refilled(client);
    if (bucket != null) {
      bucket.tokens = Math.min(burst, bucket.tokens + 1);
      if (bucket.tokens >= burst) {
        buckets.remove(client);
      }
    }
  }

  private Bucket refilled(String client) {
    Bucket bucket = buckets.get(client);
    if (bucket != null) {
      long now = clock.getAsLong();
      bucket.tokens = Math.min(burst, bucket.tokens + (double) (now - bucket.at) / refillNanos);
      bucket.at = now;
      if (bucket.tokens >= burst) {
        buckets.remove(client); // back to full: nothing to remember
        return null;
      }
    }
    return bucket;
  }
}
