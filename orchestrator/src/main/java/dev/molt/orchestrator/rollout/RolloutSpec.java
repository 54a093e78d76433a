package dev.molt.orchestrator.rollout;

import dev.molt.protocol.MoltSerializable;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.release.ReleaseId;
import java.util.ArrayList;
import java.util.List;

/**
 * What a rollout should do: the target release, batches (a count, or a percentage of the nodes
 * such as {@code "34%"}), an optional canary batch that waits for a promote, a pause between
 * batches, the install mode, and whether a failure rolls the upgraded nodes back. On the wire (and
 * in Distributed Data) the mode is its old text, {@code "barrier"} or {@code "pipelined"}.
 */
public record RolloutSpec(
    ReleaseId target, String batchSize, boolean canary, long pauseBetweenBatchesMillis, InstallMode mode, boolean autoRollback)
    implements MoltSerializable {

  /** No cluster Molt runs has more nodes; a larger count is a typo, not a plan. */
  public static final int MAX_BATCH_COUNT = 10_000;
  /**
   * The longest pause the singleton can hold as a timer. Akka's scheduler throws for delays past
   * about 248 days (at its default tick), and an exception there stopped the singleton; the HTTP
   * edge keeps pauses far shorter (molt.orchestrator.max-pause-between-batches).
   */
  public static final long MAX_PAUSE_MILLIS = java.time.Duration.ofDays(30).toMillis();

  public RolloutSpec {
    batchSize = batchSize == null ? "1" : batchSize;
    mode = mode == null ? InstallMode.BARRIER : mode;
  }

  public static final String BATCH_SIZE_RULE =
      "batchSize must be a count 1.." + MAX_BATCH_COUNT + " or a percentage 1%..100%";

  /** Every problem, empty when the spec is valid. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (target == null) {
      problems.add("target is required");
    }
    problems.addAll(options().problems());
    return problems;
  }

  /** The spec without its target. */
  public RolloutOptions options() {
    return new RolloutOptions(batchSize, canary, pauseBetweenBatchesMillis, mode, autoRollback);
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
