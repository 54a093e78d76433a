package dev.molt.node.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.molt.node.licence.AkkaLicence;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** /ready: a keyless node is ready until its last minute, then not, saying when it stops. */
class LicenceReadinessTest {
  private static final Instant START = Instant.parse("2026-12-03T23:00:00Z");

  private static AkkaLicence licence(String key) {
    return AkkaLicence.of(ConfigFactory.empty().withValue("akka.license-key", ConfigValueFactory.fromAnyRef(key)),
        START.toEpochMilli(), Clock.fixed(START, ZoneOffset.UTC));
  }

  private static LicenceReadiness at(AkkaLicence licence, Instant now) {
    return new LicenceReadiness(licence, Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void readyUntilTheLastMinute() throws Exception {
    AkkaLicence keyless = licence("");
    assertEquals(true, at(keyless, START.plusSeconds(13 * 60 + 59)).get().toCompletableFuture().get());
  }

  @Test
  void notReadyInTheLastMinuteWithTheStopTime() {
    AkkaLicence keyless = licence("");
    var failure = assertThrows(ExecutionException.class,
        () -> at(keyless, START.plusSeconds(14 * 60)).get().toCompletableFuture().get());
    assertTrue(failure.getCause().getMessage().startsWith("licence: stops at 2026-12-03T23:15:00Z"),
        failure.getCause().getMessage());
  }

  @Test
  void aNodeWithAKeyIsReadyAtAnyTime() throws Exception {
    assertEquals(true, at(licence("some-key"), START.plusSeconds(14 * 60 + 30)).get().toCompletableFuture().get());
  }
}
