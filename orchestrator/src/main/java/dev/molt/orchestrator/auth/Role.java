package dev.molt.orchestrator.auth;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a user may do, ordered: each role may do everything the roles before it may. {@code viewer}
 * reads (every GET route, events, metrics, the dashboard); {@code operator} plans and starts rollouts,
 * controls them, and sends to and reads the state of application actors; {@code admin} uploads
 * releases (the only operation it alone may do; see {@link Operation}).
 */
public enum Role {
  VIEWER,
  OPERATOR,
  ADMIN;

  /** The names config and error texts use, in this order. */
  public static final List<String> NAMES = Arrays.stream(values()).map(Role::wireName).toList();

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean allows(Role needed) {
    return compareTo(needed) >= 0;
  }

  public static Optional<Role> parse(String name) {
    return Arrays.stream(values()).filter(r -> r.wireName().equals(name)).findFirst();
  }

  @Override
  public String toString() {
    return wireName();
  }
}
