package dev.molt.orchestrator.http;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.molt.orchestrator.rollout.RolloutOptions;
import dev.molt.orchestrator.rollout.TargetRequest;
import dev.molt.protocol.control.InstallMode;
import java.time.Duration;
import java.util.Map;

/**
 * The body of {@code POST /molt/rollouts}: the target as {@link PlanBody} reads it, and how the
 * rollout should run. Absent (or null) fields take their defaults: batches of 1, no canary, no
 * pause, {@code barrier}, automatic rollback on. The mode is parsed here, once ({@link
 * InstallMode#parse}): the singleton and the nodes get the enum.
 */
record RolloutBody(String target, String application,
    @JsonDeserialize(using = BatchSizeDeserializer.class) String batchSize,
    Boolean canary,
    @JsonDeserialize(using = PauseDeserializer.class) Duration pauseBetweenBatches,
    InstallMode mode,
    Boolean autoRollback) {

  RolloutBody {
    PlanBody.check(target, application);
  }

  /** The body type, with the longest pause accepted (molt.orchestrator.max-pause-between-batches). */
  static BodyType<RolloutBody> type(Duration maxPause) {
    return new BodyType<>(RolloutBody.class, Map.of(
        "target", PlanBody.TARGET_RULE,
        "application", PlanBody.APPLICATION_RULE,
        "batchSize", BatchSizeDeserializer.RULE,
        "canary", "true or false",
        "pauseBetweenBatches", PauseDeserializer.rule(maxPause),
        "mode", "barrier or pipelined",
        "autoRollback", "true or false"), "rollout spec fields", Map.of(PauseDeserializer.MAX, maxPause));
  }

  TargetRequest targetRequest() {
    return new TargetRequest(target, application);
  }

  RolloutOptions options() {
    return new RolloutOptions(batchSize, canary != null && canary,
        pauseBetweenBatches == null ? 0 : pauseBetweenBatches.toMillis(), mode, autoRollback == null || autoRollback);
  }
}
