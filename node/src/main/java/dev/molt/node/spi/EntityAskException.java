package dev.molt.node.spi;

/** Why an {@link ApplicationContext#ask} failed; {@link #reason} says which kind, the message says what. */
public final class EntityAskException extends RuntimeException {

  /** The closed set of ways an ask fails, each with the HTTP status the served routes answer. */
  public enum Reason {
    UNKNOWN_ENTITY_TYPE(404),
    NO_REPLY(504),
    REJECTED(409),
    UNREADABLE_REPLY(502),
    NOT_SENDABLE(500);

    private final int status;

    Reason(int status) {
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final Reason reason;

  public EntityAskException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
