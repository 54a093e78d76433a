package dev.molt.orchestrator.rollout;

import dev.molt.protocol.MoltSerializable;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.release.ReleaseId;
import java.util.ArrayList;
import java.util.List;

/**
 * How a rollout should run, before its target is resolved: the {@link RolloutSpec} without the
 * target. A client's {@code StartRollout} carries these and a {@link TargetRequest}; the
 * orchestrator makes the spec once it has resolved the target.
 */
public record RolloutOptions(String batchSize, boolean canary, long pauseBetweenBatchesMillis, InstallMode mode,
    boolean autoRollback) implements MoltSerializable {

  public RolloutOptions {
    batchSize = batchSize == null ? "1" : batchSize;
    mode = mode == null ? InstallMode.BARRIER : mode;
  }

  public RolloutSpec spec(ReleaseId target) {
    return new RolloutSpec(target, batchSize, canary, pauseBetweenBatchesMillis, mode, autoRollback);
  }

  /** Every problem, empty when the options are valid. */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    try {
      int size = batchSize.endsWith("%") ? Integer.parseInt(batchSize.substring(0, batchSize.length() - 1))
          : Integer.parseInt(batchSize);
      if (size < 1 || (batchSize.endsWith("%") ? size > 100 : size > RolloutSpec.MAX_BATCH_COUNT)) {
        problems.add(RolloutSpec.BATCH_SIZE_RULE + ", was '" + batchSize + "'");
      }
    } catch (NumberFormatException e) {
      problems.add(RolloutSpec.BATCH_SIZE_RULE + ", was '" + batchSize + "'");
    }
    if (pauseBetweenBatchesMillis < 0 || pauseBetweenBatchesMillis > RolloutSpec.MAX_PAUSE_MILLIS) {
      problems.add("pauseBetweenBatches must be 0.." + RolloutSpec.MAX_PAUSE_MILLIS + " ms, was " + pauseBetweenBatchesMillis);
    }
    return problems;
  }
}
