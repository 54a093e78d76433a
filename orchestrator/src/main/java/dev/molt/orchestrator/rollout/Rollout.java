package dev.molt.orchestrator.rollout;

import dev.molt.protocol.MoltSerializable;
import dev.molt.protocol.release.ReleaseId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rollout's state: the desired target, the spec, the phase, and each node's outcome. Immutable;
 * the orchestrator keeps the newest one in Distributed Data so that a new singleton can continue.
 */
public record Rollout(
    String id,
    RolloutSpec spec,
    String phase,
    List<List<String>> batches,
    int batch,
    Map<String, ReleaseId> previous,
    Map<String, NodeOutcome> nodes,
    String error,
    long startedAtMillis,
    long finishedAtMillis) implements MoltSerializable {

  public static final String DISTRIBUTING = "distributing";
  public static final String ROLLING = "rolling";
  public static final String PAUSED = "paused";
  public static final String ROLLING_BACK = "rolling-back";
  public static final String COMPLETED = "completed";
  public static final String ROLLED_BACK = "rolled-back";
  public static final String FAILED = "failed";
  public static final String ABORTED = "aborted";

  public Rollout {
    batches = batches == null ? List.of() : batches.stream().map(List::copyOf).toList();
    previous = previous == null ? Map.of() : Map.copyOf(previous);
    nodes = nodes == null ? Map.of() : new LinkedHashMap<>(nodes);
  }

  public boolean finished() {
    return isFinal(phase);
  }

  public ReleaseId target() {
    return spec.target();
  }

  public Rollout withPhase(String next) {
    return new Rollout(id, spec, next, batches, batch, previous, nodes, error, startedAtMillis,
        isFinal(next) ? System.currentTimeMillis() : finishedAtMillis);
  }

  public Rollout withBatch(int next) {
    return new Rollout(id, spec, phase, batches, next, previous, nodes, error, startedAtMillis, finishedAtMillis);
  }

  public Rollout withError(String message) {
    return new Rollout(id, spec, phase, batches, batch, previous, nodes, message, startedAtMillis, finishedAtMillis);
  }

  public Rollout withNode(NodeOutcome outcome) {
    Map<String, NodeOutcome> next = new LinkedHashMap<>(nodes);
    next.put(outcome.node(), outcome);
    return new Rollout(id, spec, phase, batches, batch, previous, next, error, startedAtMillis, finishedAtMillis);
  }

  public Rollout withPlan(List<List<String>> plannedBatches, Map<String, ReleaseId> previousReleases) {
    return new Rollout(id, spec, phase, plannedBatches, 0, previousReleases, nodes, error, startedAtMillis, finishedAtMillis);
  }

  /** Nodes upgraded by this rollout so far, in the order they were upgraded. */
  public List<String> upgraded() {
    List<String> done = new ArrayList<>();
    batches.forEach(b -> b.forEach(n -> {
      NodeOutcome o = nodes.get(n);
      if (o != null && "installed".equals(o.status())) {
        done.add(n);
      }
    }));
    return done;
  }

  private static boolean isFinal(String phase) {
    return phase.equals(COMPLETED) || phase.equals(ROLLED_BACK) || phase.equals(FAILED) || phase.equals(ABORTED);
  }
}
