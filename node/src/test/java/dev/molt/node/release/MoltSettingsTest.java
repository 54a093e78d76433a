package dev.molt.node.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** The install and host settings a node reads at start: defaults, and a clear refusal of each bad value. */
class MoltSettingsTest {

  private static MoltSettings with(String overrides) {
    return MoltSettings.from(ConfigFactory.parseString(overrides).withFallback(ConfigFactory.load()));
  }

  @Test
  void defaults() {
    MoltSettings settings = with("");
    assertEquals(1000, settings.installMaxInFlight());
    assertEquals(64, settings.installSwapsInFlight());
    assertEquals(4, settings.installBlocksInFlight());
    assertEquals(true, settings.installWarmUp());
    assertEquals(MoltSettings.MigrationThread.RELEASE_CODE, settings.migrationThread());
  }

  @Test
  void badValuesAreRefusedByName() {
    assertEquals("molt.install.swaps-in-flight must be at least 1, was 0",
        assertThrows(IllegalArgumentException.class, () -> with("molt.install.swaps-in-flight = 0")).getMessage());
    assertEquals("molt.install.blocks-in-flight must be at least 1, was 0",
        assertThrows(IllegalArgumentException.class, () -> with("molt.install.blocks-in-flight = 0")).getMessage());
    assertEquals("molt.install.max-in-flight must be at least 1, was -3",
        assertThrows(IllegalArgumentException.class, () -> with("molt.install.max-in-flight = -3")).getMessage());
    assertEquals("molt.host.migration-budget must be positive, was PT0S",
        assertThrows(IllegalArgumentException.class, () -> with("molt.host.migration-budget = 0s")).getMessage());
    assertEquals("molt.host.migration-thread must be release-code or actor, was 'fast'",
        assertThrows(IllegalArgumentException.class, () -> with("molt.host.migration-thread = fast")).getMessage());
  }
}
