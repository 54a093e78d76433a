package dev.molt.node.release;

/** The store already holds this release name and version with other content. */
public final class ReleaseConflictException extends InvalidBundleException {
  private static final long serialVersionUID = 1L;

  public ReleaseConflictException(String bundle, String reason) {
    super(bundle, reason);
  }
}
