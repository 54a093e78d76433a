package dev.molt.node.app;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.OptionalInt;

/** {@code molt.app.*}: the application port and the bounds of what its routes accept and wait for. */
record AppSettings(String hostname, OptionalInt port, Duration askTimeout, long maxJsonBytes, int maxJsonDepth,
    Duration bodyReadTimeout) {

  static AppSettings from(Config config) {
    Config app = config.getConfig("molt.app");
    String port = app.getString("http.port").trim();
    OptionalInt bound;
    if (port.isEmpty() || port.equalsIgnoreCase("off") || port.equalsIgnoreCase("false")) {
      bound = OptionalInt.empty();
    } else {
      try {
        bound = OptionalInt.of(Integer.parseInt(port));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("molt.app.http.port (MOLT_APP_PORT) must be a port number or 'off', was '" + port + "'");
      }
      if (bound.getAsInt() < 0 || bound.getAsInt() > 65535) {
        throw new IllegalArgumentException("molt.app.http.port (MOLT_APP_PORT) must be within 0..65535, was " + port);
      }
    }
    return new AppSettings(app.getString("http.hostname"), bound, app.getDuration("ask-timeout"),
        app.getBytes("max-json-bytes"), app.getInt("max-json-depth"), app.getDuration("body-read-timeout"));
  }
}
