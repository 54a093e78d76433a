package dev.molt.node.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A call's limit is the release code's time: it counts from when a thread starts the call, not
 * from when it was handed over. ReleaseHandlerTest once failed on a machine at load 24 with "ran
 * over its budget of 2000 ms; it had not started": the budget had been spent waiting for a thread.
 */
class ReleaseThreadsTest {
  private static final Duration LIMIT = Duration.ofMillis(200);
  private final ScheduledExecutorService delayer = Executors.newSingleThreadScheduledExecutor();
  private final NodeCounters counters = new NodeCounters();

  /** Every call reaches the pool {@code delay} after it is handed over: a thread scheduled late. */
  private UnaryOperator<Executor> late(Duration delay) {
    return pool -> task -> delayer.schedule(() -> pool.execute(task), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  @AfterEach
  void stop() {
    delayer.shutdownNow();
  }

  @Test
  void aCallStartedLaterThanItsLimitStillGetsItsWholeLimit() {
    ReleaseThreads threads = new ReleaseThreads(counters, late(LIMIT.multipliedBy(3)));
    String result = threads.call("migration of r1", LIMIT, "molt.host.migration-budget", () -> "migrated");
    assertEquals("migrated", result);
    assertEquals(0, counters.stuckThreads());
    threads.shutdown();
  }

  @Test
  void aCallOverItsLimitAfterItStartedIsAbandonedNamingTheSetting() throws Exception {
    ReleaseThreads threads = new ReleaseThreads(counters, late(LIMIT));
    CountDownLatch release = new CountDownLatch(1);
    ReleaseCodeTimeoutException e = assertThrows(ReleaseCodeTimeoutException.class, () -> threads.call(
        "migration of r2", LIMIT, "molt.host.migration-budget", () -> release.await(1, TimeUnit.MINUTES)));
    assertTrue(e.getMessage().contains("did not finish within 200 ms (molt.host.migration-budget)"), e.getMessage());
    assertTrue(e.getMessage().contains("was abandoned"), e.getMessage());
    release.countDown();
    threads.shutdown();
  }
}
