package dev.molt.protocol.relup;

/** No chain of available releases leads from one release to the other. */
public final class NoUpgradePathException extends Exception {
  private static final long serialVersionUID = 1L;

  public NoUpgradePathException(String message) {
    super(message);
  }
}
