package dev.molt.node.agent;

/**
 * An install that did not complete. {@code step} and {@code actor} name where it failed (actor is
 * null for a step that is not per actor); {@code reverted} says whether the point of no return was
 * passed and the node went back, in memory, to the release it ran before.
 */
public final class InstallFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final String step;
  private final String actor;
  private final String reason;
  private boolean reverted;

  public InstallFailure(String step, String actor, String reason) {
    super("step '" + step + "' failed" + (actor == null ? "" : " for " + actor) + ": " + reason);
    this.step = step;
    this.actor = actor;
    this.reason = reason;
  }

  public String step() {
    return step;
  }

  public String actor() {
    return actor;
  }

  public String reason() {
    return reason;
  }

  public boolean reverted() {
    return reverted;
  }

  void markReverted() {
    reverted = true;
  }
}
