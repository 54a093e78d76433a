package dev.molt.orchestrator.rollout;

import dev.molt.protocol.MoltSerializable;
import dev.molt.protocol.release.ReleaseId;

/** What a rollout did on one node: its last step, releases, timings and error. */
public record NodeOutcome(
    String node, String step, String status, ReleaseId from, ReleaseId to, long tookMillis, int actors,
    long pauseMaxMicros, long pauseP99Micros, String error) implements MoltSerializable {

  public static final String INSTALLED = "installed";
  /** The step failed without an answer (membership): the node may or may not have installed. */
  public static final String UNKNOWN = "unknown";

  /** The outcome of this node's rollback, with why when it could not be rolled back. */
  public NodeOutcome rolledBack(String status, String why) {
    return new NodeOutcome(node, "rollback", status, from, to, tookMillis, actors, pauseMaxMicros, pauseP99Micros,
        why == null ? error : why);
  }

  /** The outcome of this node's rollback: {@code rolled-back}, {@code rollback-failed} or {@code not-rolled-back}. */
  public NodeOutcome rolledBack(String status) {
    return new NodeOutcome(node, "rollback", status, from, to, tookMillis, actors, pauseMaxMicros, pauseP99Micros, error);
  }

}
