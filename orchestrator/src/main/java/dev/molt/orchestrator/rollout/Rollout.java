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
    Map<String, RequestRecord> requests,
    List<Requested> requested) implements MoltSerializable {

  /** How many client request ids a rollout keeps (oldest forgotten first, with a WARN). */
  public static final int MAX_REQUESTS = 100;

  /** The first answer to a client request id: repeats of that id get it again and change nothing. */
  public record RequestRecord(RequestedAction action, int status, String error, String detail) implements MoltSerializable {}

  /** Who asked this rollout's start and each control that applied (pause, resume, promote, abort, rollback), oldest first. */
  public record Requested(RequestedAction action, String user, long atMillis) implements MoltSerializable {}

  /** A rollout nobody is recorded to have asked for (read from an older record, or made by a test). */
  public Rollout(String id, RolloutSpec spec, RolloutPhase phase, List<List<String>> batches, int batch,
      Map<String, ReleaseId> previous, Map<String, NodeOutcome> nodes, String error, long startedAtMillis,
      long finishedAtMillis, Map<String, RequestRecord> requests) {
    this(id, spec, phase, batches, batch, previous, nodes, error, startedAtMillis, finishedAtMillis, requests, List.of());
  }

  public Rollout {
    batches = batches == null ? List.of() : batches.stream().map(List::copyOf).toList();
    previous = previous == null ? Map.of() : Map.copyOf(previous);
    nodes = nodes == null ? Map.of() : new LinkedHashMap<>(nodes);
    requests = requests == null ? Map.of() : new LinkedHashMap<>(requests);
    requested = requested == null ? List.of() : List.copyOf(requested);
  }

  public boolean finished() {
    return phase.isFinal();
  }

  public ReleaseId target() {
    return spec.target();
  }

  public Rollout withPhase(RolloutPhase next) {
    return new Rollout(id, spec, next, batches, batch, previous, nodes, error, startedAtMillis,
        next.isFinal() ? System.currentTimeMillis() : finishedAtMillis, requests, requested);
  }

  public Rollout withBatch(int next) {
    return new Rollout(id, spec, phase, batches, next, previous, nodes, error, startedAtMillis, finishedAtMillis, requests, requested);
  }

  public Rollout withError(String message) {
    return new Rollout(id, spec, phase, batches, batch, previous, nodes, message, startedAtMillis, finishedAtMillis, requests, requested);
  }

  public Rollout withNode(NodeOutcome outcome) {
    Map<String, NodeOutcome> next = new LinkedHashMap<>(nodes);
    next.put(outcome.node(), outcome);
    return new Rollout(id, spec, phase, batches, batch, previous, next, error, startedAtMillis, finishedAtMillis, requests, requested);
  }

  public Rollout withPlan(List<List<String>> plannedBatches, Map<String, ReleaseId> previousReleases) {
    return new Rollout(id, spec, phase, plannedBatches, 0, previousReleases, nodes, error, startedAtMillis, finishedAtMillis, requests, requested);
  }

  /** Records the answer to a client request id; the oldest id is forgotten past {@link #MAX_REQUESTS}. */
  public Rollout withRequest(String requestId, RequestRecord record) {
    Map<String, RequestRecord> next = new LinkedHashMap<>(requests);
    next.put(requestId, record);
    while (next.size() > MAX_REQUESTS) {
      next.remove(next.keySet().iterator().next());
    }
    return new Rollout(id, spec, phase, batches, batch, previous, nodes, error, startedAtMillis, finishedAtMillis, next, requested);
  }

  /** Records who asked {@code action}; past {@link #MAX_REQUESTS} entries the oldest after the start is forgotten. */
  public Rollout withRequested(RequestedAction action, String user) {
    if (user == null) {
      return this;
    }
    List<Requested> next = new ArrayList<>(requested);
    next.add(new Requested(action, user, System.currentTimeMillis()));
    while (next.size() > MAX_REQUESTS) {
      next.remove(1);
    }
    return new Rollout(id, spec, phase, batches, batch, previous, nodes, error, startedAtMillis, finishedAtMillis, requests, next);
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
