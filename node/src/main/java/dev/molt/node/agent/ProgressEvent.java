package dev.molt.node.agent;

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
    String phase,
    int actors,
    long tookNanos,
    long pauseMaxNanos,
    long pauseP99Nanos,
    String detail) {
  public static final String STARTED = "started";
  public static final String FINISHED = "finished";
  public static final String FAILED = "failed";
  public static final String REVERTED = "reverted";
}
