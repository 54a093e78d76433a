package dev.molt.orchestrator.rollout;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.molt.protocol.MoltSerializable;
import dev.molt.protocol.WireName;
import dev.molt.protocol.release.ReleaseId;

/**
 * What a rollout did on one node: what it did last ({@code action}, shown as {@code step} in the API
 * and in Distributed Data, as before), how that ended, the releases, timings and error.
 */
public record NodeOutcome(
    String node, @JsonProperty("step") Action action, Status status, ReleaseId from, ReleaseId to, long tookMillis,
    int actors, long pauseMaxMicros, long pauseP99Micros, String error) implements MoltSerializable {

  /** What the rollout did on the node. The glossary's word for a relup Step is "step"; this is not one. */
  public enum Action implements WireName {
    INSTALL,
    ROLLBACK;

    @Override
    public String toString() {
      return json();
    }
  }

  /** How the node's install or rollback ended; {@link #json()} is the text the API shows. */
  public enum Status implements WireName {
    INSTALLED,
    /** The node held the target already: nothing installed. */
    UNCHANGED,
    FAILED,
    /** The install failed without an answer (membership): the node may or may not have installed. */
    UNKNOWN,
    ROLLED_BACK,
    ROLLBACK_FAILED,
    /** Left on the target: a rollback could not reach it, or was not tried. */
    NOT_ROLLED_BACK;

    /** Whether the node may run the target: it installed, or may have. */
    public boolean mayRunTarget() {
      return this == INSTALLED || this == UNKNOWN;
    }

    @Override
    public String toString() {
      return json();
    }
  }

  /** The outcome of this node's rollback, with why when it could not be rolled back. */
  public NodeOutcome rolledBack(Status status, String why) {
    return new NodeOutcome(node, Action.ROLLBACK, status, from, to, tookMillis, actors, pauseMaxMicros, pauseP99Micros,
        why == null ? error : why);
  }

  /** The outcome of this node's rollback: rolled back, failed, or not rolled back. */
  public NodeOutcome rolledBack(Status status) {
    return rolledBack(status, null);
  }
}
