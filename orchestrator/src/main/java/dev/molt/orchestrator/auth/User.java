package dev.molt.orchestrator.auth;

/** Who a request authenticated as, and what that user may do. */
public record User(String name, Role role) {
  /** Everyone, when {@code molt.http.auth = off} (development only). */
  public static final User ANONYMOUS = new User("anonymous", Role.ADMIN);
}
