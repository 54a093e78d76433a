package dev.molt.orchestrator.http;

import com.typesafe.config.Config;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Credentials for the mutating routes: {@code molt.http.admin-user} / {@code admin-password},
 * overridable by {@code MOLT_ADMIN_USER} / {@code MOLT_ADMIN_PASSWORD}. With no password set, one is
 * generated and logged once. Only {@code molt.http.auth = off} (a development setting) disables it.
 */
final class AdminAuth {
  private static final Logger log = LoggerFactory.getLogger(AdminAuth.class);

  private final boolean enabled;
  private final String user;
  private final byte[] password;

  AdminAuth(Config config) {
    Config http = config.getConfig("molt.http");
    this.enabled = http.getBoolean("auth");
    this.user = http.getString("admin-user");
    String configured = http.getString("admin-password");
    if (enabled && configured.isEmpty()) {
      configured = HexFormat.of().formatHex(SecureRandom.getSeed(12));
      log.warn("no admin password configured (MOLT_ADMIN_PASSWORD): generated one for user '{}': {}", user, configured);
    } else if (!enabled) {
      log.warn("molt.http.auth = off: mutating routes accept anyone (development only)");
    }
    this.password = configured.getBytes(StandardCharsets.UTF_8);
  }

  boolean enabled() {
    return enabled;
  }

  boolean accepts(String givenUser, String givenPassword) {
    // Constant-time comparison of both, so timing tells nothing.
    boolean userOk = MessageDigest.isEqual(user.getBytes(StandardCharsets.UTF_8), givenUser.getBytes(StandardCharsets.UTF_8));
    boolean passwordOk = MessageDigest.isEqual(password, givenPassword.getBytes(StandardCharsets.UTF_8));
    return userOk & passwordOk;
  }
}
