package dev.molt.node.release;

/**
 * Release code did not return within its bound; the thread running it was abandoned (Java cannot
 * stop a thread safely) and is counted in {@link NodeCounters#stuckThreads()} until it returns.
 * The message names the call, the bound's setting and where the thread was.
 */
public final class ReleaseCodeTimeoutException extends ReleaseCodeException {
  private static final long serialVersionUID = 1L;

  private final String where;

  ReleaseCodeTimeoutException(String call, String bound, String where) {
    super(call + " " + bound + "; " + where, null);
    this.where = where;
  }

  /** The abandoned thread: its name, the call into release code it was in, its innermost release frame. */
  public String where() {
    return where;
  }
}
