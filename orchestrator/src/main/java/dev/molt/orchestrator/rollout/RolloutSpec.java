package dev.molt.orchestrator.rollout;

import dev.molt.node.agent.InstallMode;
import dev.molt.protocol.MoltSerializable;
import dev.molt.protocol.release.ReleaseId;
import java.util.ArrayList;
import java.util.List;

/**
 * What a rollout should do: the target release, batches (a count, or a percentage of the nodes
 * such as {@code "34%"}), an optional canary batch that waits for a promote, a pause between
 * batches, the install mode, and whether a failure rolls the upgraded nodes back.
 */
public record RolloutSpec(
    ReleaseId target, String batchSize, boolean canary, long pauseBetweenBatchesMillis, String mode, boolean autoRollback)
    implements MoltSerializable {

  /**
   * Longest pause between batches the orchestrator accepts, whatever reached it: Akka's scheduler
   * refuses delays past ~248 days with an exception, and a paused rollout is better held by pause.
   */
  public static final long MAX_PAUSE_MILLIS = java.time.Duration.ofDays(7).toMillis();

  public RolloutSpec {
    batchSize = batchSize == null ? "1" : batchSize;
    mode = mode == null ? "barrier" : mode;
  }

  /** Every problem, empty when the spec is valid. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (target == null) {
      problems.add("target is required");
    }
    try {
      int size = batchSize.endsWith("%") ? Integer.parseInt(batchSize.substring(0, batchSize.length() - 1))
          : Integer.parseInt(batchSize);
      if (size < 1 || (batchSize.endsWith("%") && size > 100)) {
        problems.add("batchSize must be a count >= 1 or a percentage 1%..100%, was '" + batchSize + "'");
      }
    } catch (NumberFormatException e) {
      problems.add("batchSize must be a count >= 1 or a percentage 1%..100%, was '" + batchSize + "'");
    }
    if (pauseBetweenBatchesMillis < 0 || pauseBetweenBatchesMillis > MAX_PAUSE_MILLIS) {
      problems.add("pauseBetweenBatches must be 0.." + MAX_PAUSE_MILLIS + " ms (7 days), was " + pauseBetweenBatchesMillis);
    }
    try {
      InstallMode.parse(mode);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    return problems;
  }

  /** The batches of {@code nodes}, in order. */
  public List<List<String>> batches(List<String> nodes) {
    int size = batchSize.endsWith("%")
        ? Math.max(1, (int) Math.ceil(nodes.size() * Integer.parseInt(batchSize.substring(0, batchSize.length() - 1)) / 100.0))
        : Integer.parseInt(batchSize);
    List<List<String>> batches = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i += size) {
      batches.add(List.copyOf(nodes.subList(i, Math.min(nodes.size(), i + size))));
    }
    return batches;
  }
}
