package dev.molt.node.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** {@code molt.app.http.port}: a port, or off; anything else refused at start naming the setting. */
class AppSettingsTest {

  @Test
  void offOrAPort() {
    assertEquals(OptionalInt.empty(), port("off"));
    assertEquals(OptionalInt.empty(), port("false"));
    assertEquals(OptionalInt.of(8080), port("8080"));
    assertEquals(OptionalInt.of(0), port("0"));
  }

  @Test
  void anythingElseIsRefusedNamingTheSetting() {
    assertEquals("molt.app.http.port (MOLT_APP_PORT) must be a port number or 'off', was 'eighty'",
        assertThrows(IllegalArgumentException.class, () -> port("eighty")).getMessage());
    assertEquals("molt.app.http.port (MOLT_APP_PORT) must be within 0..65535, was 70000",
        assertThrows(IllegalArgumentException.class, () -> port("70000")).getMessage());
  }

  private static OptionalInt port(String value) {
    return AppSettings.from(ConfigFactory.parseString("molt.app.http.port = \"" + value + "\"")
        .withFallback(ConfigFactory.load())).port();
  }
}
