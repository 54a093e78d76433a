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
    RolloutPhase phase,
    List<List<String>> batches,
    int batch,
    Map<String, ReleaseId> previous,
    Map<String, NodeOutcome> nodes,
    String error,
    long startedAtMillis,
    long finishedAtMillis,
    Map<String, RequestRecord> requests) implements MoltSerializable {

  /** How many client request ids a rollout keeps (oldest forgotten first, with a WARN). */
  public static final int MAX_REQUESTS = 100;

  /** The first answer to a client request id: repeats of that id get it again and change nothing. */
  public record RequestRecord(String action, int status, String error, String detail) implements MoltSerializable {}

  public Rollout {
    batches = batches == null ? List.of() : batches.stream().map(List::copyOf).toList();
    previous = previous == null ? Map.of() : Map.copyOf(previous);
    nodes = nodes == null ? Map.of() : new LinkedHashMap<>(nodes);
    requests = requests == null ? Map.of() : new LinkedHashMap<>(requests);
  }

  public boolean finished() {
    return phase.isFinal();
  }

  public ReleaseId target() {
    return spec.target();
  }

  public Rollout withPhase(RolloutPhase next) {
    return new Rollout(id, spec, next, batches, batch, previous, nodes, error, startedAtMillis,
        next.isFinal() ? System.currentTimeMillis() : finishedAtMillis, requests);
  }

  public Rollout withBatch(int next) {
    return new Rollout(id, spec, phase, batches, next, previous, nodes, error, startedAtMillis, finishedAtMillis, requests);
  }

  public Rollout withError(String message) {
    return new Rollout(id, spec, phase, batches, batch, previous, nodes, message, startedAtMillis, finishedAtMillis, requests);
  }

  public Rollout withNode(NodeOutcome outcome) {
    Map<String, NodeOutcome> next = new LinkedHashMap<>(nodes);
    next.put(outcome.node(), outcome);
    return new Rollout(id, spec, phase, batches, batch, previous, next, error, startedAtMillis, finishedAtMillis, requests);
  }

  public Rollout withPlan(List<List<String>> plannedBatches, Map<String, ReleaseId> previousReleases) {
    return new Rollout(id, spec, phase, plannedBatches, 0, previousReleases, nodes, error, startedAtMillis, finishedAtMillis, requests);
  }

  /** Records the answer to a client request id; the oldest id is forgotten past {@link #MAX_REQUESTS}. */
  public Rollout withRequest(String requestId, RequestRecord record) {
    Map<String, RequestRecord> next = new LinkedHashMap<>(requests);
    next.put(requestId, record);
    while (next.size() > MAX_REQUESTS) {
      next.remove(next.keySet().iterator().next());
    }
    return new Rollout(id, spec, phase, batches, batch, previous, nodes, error, startedAtMillis, finishedAtMillis, next);
  }

  /**
   * Nodes a rollback must take back, in the order they were upgraded: those that installed, and
   * those whose install outcome is unknown (membership failed their step while the install may
   * have run; the rollback checks what they run once they answer).
   */
  public List<String> toRollBack() {
    List<String> done = new ArrayList<>();
    batches.forEach(b -> b.forEach(n -> {
      NodeOutcome o = nodes.get(n);
      if (o != null && o.status().mayRunTarget()) {
        done.add(n);
      }
    }));
    return done;
  }

  /** Nodes upgraded by this rollout so far, in the order they were upgraded. */
  public List<String> upgraded() {
    List<String> done = new ArrayList<>();
    batches.forEach(b -> b.forEach(n -> {
      NodeOutcome o = nodes.get(n);
      if (o != null && o.status() == NodeOutcome.Status.INSTALLED) {
        done.add(n);
      }
    }));
    return done;
  }
}
