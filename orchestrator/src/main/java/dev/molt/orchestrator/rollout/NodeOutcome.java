package dev.molt.orchestrator.rollout;

import dev.molt.protocol.MoltSerializable;
import dev.molt.protocol.release.ReleaseId;

/** What a rollout did on one node: its last step, releases, timings and error. */
public record NodeOutcome(
    String node, String step, String status, ReleaseId from, ReleaseId to, long tookMillis, int actors,
    long pauseMaxMicros, long pauseP99Micros, String error) implements MoltSerializable {

  public NodeOutcome withStatus(String next) {
    return new NodeOutcome(node, next.startsWith("roll") || next.startsWith("not-roll") ? "rollback" : step, next, from, to,
        tookMillis, actors, pauseMaxMicros, pauseP99Micros, error);
  }
}
