package dev.molt.node.release;

/**
 * A call into release code failed in a way Akka must not see raw: a {@link LinkageError} (a class
 * missing from the bundle, a version clash) is fatal to Akka and would stop the JVM, so the host
 * turns it into this ordinary failure.
 */
public class ReleaseCodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ReleaseCodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
