package dev.molt.node.release;

/**
 * A bundle that was refused. Nothing of it was kept. The message names the bundle and the cause.
 */
public class InvalidBundleException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String bundle;
  private final String reason;

  public InvalidBundleException(String bundle, String reason) {
    this(bundle, reason, null);
  }

  public InvalidBundleException(String bundle, String reason, Throwable cause) {
    super("invalid bundle " + bundle + ": " + reason, cause);
    this.bundle = bundle;
    this.reason = reason;
  }

  public String bundle() {
    return bundle;
  }

  public String reason() {
    return reason;
  }
}
