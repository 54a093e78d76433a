package dev.molt.node.licence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.CoordinatedShutdown;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** What Molt predicts of Akka 2.8.8's licence check, from the key, the start time and the date. */
class AkkaLicenceTest {
  private static final Instant START = Instant.parse("2026-12-03T23:00:00.250Z");
  private static final Clock NOW = Clock.fixed(START, ZoneOffset.UTC);

  private static Config key(String key) {
    return ConfigFactory.empty().withValue("akka.license-key", ConfigValueFactory.fromAnyRef(key));
  }

  @Test
  void theConstantsWereReadFromTheAkkaOnTheClassPath() {
    // Another Akka version may decide differently: re-read its checkLicenseKey and update AkkaLicence.
    assertEquals(AkkaLicence.AKKA_VERSION, akka.Version.current());
    assertEquals(Instant.parse("2024-10-28T07:52:27Z"), Instant.ofEpochMilli(AkkaLicence.AKKA_BUILD_MILLIS));
  }

  @Test
  void withoutAKeyTheNodeStopsFifteenMinutesAfterItsActorSystemStarted() {
    AkkaLicence licence = AkkaLicence.of(key(""), START.toEpochMilli(), NOW);
    assertFalse(licence.keySet());
    assertEquals(Instant.parse("2026-12-03T23:15:00.250Z"), licence.stopsAt());
    assertTrue(licence.startWarning().contains("will terminate this node at 2026-12-03T23:15:00.250Z"), licence.startWarning());
    assertTrue(licence.startWarning().contains("https://akka.io/key"), licence.startWarning());
    assertTrue(licence.startWarning().contains("MOLT_AKKA_LICENSE_KEY"), licence.startWarning());
    assertEquals(new dev.molt.protocol.control.ControlMessages.Licence(false, licence.stopsAt()), licence.status());
  }

  @Test
  void withAKeyNothingIsPredicted() {
    AkkaLicence licence = AkkaLicence.of(key("any-non-empty-text"), START.toEpochMilli(), NOW);
    assertTrue(licence.keySet());
    assertNull(licence.stopsAt(), "Akka validated the key at start, or the node would not run");
    assertFalse(licence.inLastMinute(START.plusSeconds(3600)));
  }

  @Test
  void akkaSkipsItsCheckFromTheDayAfterTheBuildDatePlusThreeYears() {
    ZoneId utc = ZoneOffset.UTC;
    Instant lastDay = Instant.parse("2027-10-28T23:59:59Z");
    Instant firstFree = Instant.parse("2027-10-29T00:00:00Z");
    assertEquals(lastDay.plus(AkkaLicence.DEV_WINDOW),
        AkkaLicence.of(key(""), lastDay.toEpochMilli(), Clock.fixed(lastDay, utc)).stopsAt());
    assertNull(AkkaLicence.of(key(""), firstFree.toEpochMilli(), Clock.fixed(firstFree, utc)).stopsAt());
    // Akka compares local dates of the system zone: west of UTC the build date is still 2024-10-28,
    // east of UTC too (07:52 UTC), so the first free day is the 29th in every zone from -7 to +14.
    ZoneId tokyo = ZoneId.of("Asia/Tokyo");
    Instant tokyoLastDay = Instant.parse("2027-10-28T14:00:00Z"); // 23:00 in Tokyo
    assertTrue(AkkaLicence.of(key(""), tokyoLastDay.toEpochMilli(), Clock.fixed(tokyoLastDay, tokyo)).stops());
  }

  @Test
  void theLastMinuteBeforeTheStop() {
    AkkaLicence licence = AkkaLicence.of(key(""), START.toEpochMilli(), NOW);
    assertFalse(licence.inLastMinute(licence.stopsAt().minusSeconds(61)));
    assertTrue(licence.inLastMinute(licence.stopsAt().minusSeconds(60)));
    assertTrue(licence.lastMinute().startsWith("licence: stops at 2026-12-03T23:15:00.250Z"), licence.lastMinute());
  }

  @Test
  void onlyATerminateAfterTheWindowIsNamedAsTheLicenceTimer() {
    AkkaLicence keyless = AkkaLicence.of(key(""), START.toEpochMilli(), NOW);
    var terminate = CoordinatedShutdown.actorSystemTerminateReason();
    assertTrue(keyless.endedWindow(terminate, keyless.stopsAt()));
    assertTrue(keyless.endedWindow(terminate, keyless.stopsAt().plusSeconds(1)));
    assertFalse(keyless.endedWindow(terminate, keyless.stopsAt().minusMillis(1)), "terminated by someone else before");
    assertFalse(keyless.endedWindow(CoordinatedShutdown.jvmExitReason(), keyless.stopsAt()), "SIGTERM");
    assertFalse(keyless.endedWindow(CoordinatedShutdown.clusterDowningReason(), keyless.stopsAt()), "downed");
    AkkaLicence keyed = AkkaLicence.of(key("k"), START.toEpochMilli(), NOW);
    assertFalse(keyed.endedWindow(terminate, START.plusSeconds(3600)));
    assertTrue(keyless.windowEnded().startsWith("node stopping: Akka's dev licence window ended (no akka.license-key)"));
  }

  @Test
  void akkasRefusalOfAKeyIsNamedWithTheSetting() {
    // What ActorSystem.create throws for a key that is not a real one (seen once by hand with Akka 2.8.8).
    var refused = new RuntimeException("Invalid key: Error decoding license key: Invalid base62 length");
    assertEquals("node not started: Akka 2.8.8 refused akka.license-key (set from MOLT_AKKA_LICENSE_KEY or"
        + " application.conf): Invalid key: Error decoding license key: Invalid base62 length. Keys at"
        + " https://akka.io/key; unset it for Akka's 15-minute dev use.", AkkaLicence.refusedKey(refused).orElseThrow());
    assertTrue(AkkaLicence.refusedKey(new RuntimeException("Failed to bind TCP")).isEmpty());
    assertTrue(AkkaLicence.refusedKey(new RuntimeException()).isEmpty());
  }
}
