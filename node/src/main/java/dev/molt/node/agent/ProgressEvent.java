package dev.molt.node.agent;

import dev.molt.protocol.WireName;

/**
 * One step of an install, for whoever follows it (the orchestrator, a test). Durations in
 * nanoseconds; pauses are per actor: suspended time in barrier mode, its block's suspension in pipelined.
 */
public record ProgressEvent(
    String install,
    String hop,
    int step,
    int steps,
    String description,
    Phase phase,
    int actors,
    long tookNanos,
    long pauseMaxNanos,
    long pauseP99Nanos,
    String detail) {

  /** Where the step or the install is; {@link #json()} is the text the WARN lines show, as when it was a String. */
  public enum Phase implements WireName {
    STARTED,
    FINISHED,
    /** The install failed at this step. */
    FAILED,
    /** The install was reverted after a failure. */
    REVERTED;

    @Override
    public String toString() {
      return json();
    }
  }
}
