package dev.molt.orchestrator.rollout;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** Where a rollout is. The wire name is what the API shows and Distributed Data keeps. */
public enum RolloutPhase {
  DISTRIBUTING("distributing"),
  ROLLING("rolling"),
  PAUSED("paused"),
  ROLLING_BACK("rolling-back"),
  COMPLETED("completed"),
  ROLLED_BACK("rolled-back"),
  FAILED("failed"),
  ABORTED("aborted");

  private final String wireName;

  RolloutPhase(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** The phase the API shows as {@code wireName}; empty for a name this version does not know (a newer node's). */
  public static Optional<RolloutPhase> parse(String wireName) {
    return Arrays.stream(values()).filter(p -> p.wireName.equals(wireName)).findFirst();
  }

  /** Nothing more happens to a rollout in this phase without a new request. */
  public boolean isFinal() {
    return this == COMPLETED || this == ROLLED_BACK || this == FAILED || this == ABORTED;
  }

  /** A failed or aborted rollout leaves the cluster as it is until someone decides (no reconciliation). */
  public boolean awaitsAHuman() {
    return this == FAILED || this == ABORTED;
  }

  @Override
  public String toString() {
    return wireName;
  }
}
