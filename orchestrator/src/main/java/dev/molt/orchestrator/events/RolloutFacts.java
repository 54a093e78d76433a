package dev.molt.orchestrator.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.orchestrator.events.RolloutEvent.Type;
import dev.molt.orchestrator.rollout.NodeOutcome;
import dev.molt.orchestrator.rollout.Rollout;
import dev.molt.orchestrator.rollout.RolloutPhase;
import dev.molt.protocol.release.ReleaseId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The progress facts between two states of a rollout, in the order they happened. The runner
 * reports every change of its rollout to the singleton, which logs the step and keeps the state;
 * reading the facts off the state change (rather than from each log call) gives every step one
 * source, so a new step of the runner shows up here without a second hook.
 */
final class RolloutFacts {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RolloutFacts() {}

  /** The facts from {@code previous} (null: the rollout is new to this singleton) to {@code next}. */
  static List<RolloutEvent> between(Rollout previous, Rollout next, long nowMillis) {
    List<RolloutEvent> facts = new ArrayList<>();
    if (previous == null) {
      facts.add(started(next, nowMillis));
    }
    for (NodeOutcome outcome : next.nodes().values()) {
      if (previous == null || !Objects.equals(previous.nodes().get(outcome.node()), outcome)) {
        facts.add(node(next, outcome, nowMillis));
      }
    }
    RolloutPhase before = previous == null ? null : previous.phase();
    if (before != next.phase()) {
      facts.add(next.finished() ? finished(next, nowMillis) : phase(next, before, nowMillis));
    }
    boolean batchDue = next.phase() == RolloutPhase.ROLLING && next.batch() < next.batches().size()
        && (before != RolloutPhase.ROLLING || previous.batch() != next.batch());
    if (batchDue) {
      facts.add(batch(next, nowMillis));
    }
    return facts;
  }

  private static RolloutEvent started(Rollout r, long now) {
    ObjectNode o = fact(Type.STARTED, r, now);
    o.put("target", r.target().toString());
    o.put("nodes", r.batches().stream().mapToInt(List::size).sum());
    o.put("batches", r.batches().size());
    o.put("mode", r.spec().mode().json());
    o.put("canary", r.spec().canary());
    o.put("autoRollback", r.spec().autoRollback());
    return event(Type.STARTED, r, o);
  }

  private static RolloutEvent batch(Rollout r, long now) {
    ObjectNode o = fact(Type.BATCH_STARTED, r, now);
    o.put("batch", r.batch() + 1);
    o.put("of", r.batches().size());
    r.batches().get(r.batch()).forEach(o.putArray("nodes")::add);
    return event(Type.BATCH_STARTED, r, o);
  }

  private static RolloutEvent node(Rollout r, NodeOutcome n, long now) {
    Type type = n.action() == NodeOutcome.Action.ROLLBACK ? Type.ROLLBACK_FINISHED : Type.INSTALL_FINISHED;
    ObjectNode o = fact(type, r, now);
    o.put("node", n.node());
    o.put("status", n.status().json());
    o.put("from", version(n.from()));
    o.put("to", version(n.to()));
    o.put("tookMillis", n.tookMillis());
    o.put("actors", n.actors());
    o.put("pauseMaxMicros", n.pauseMaxMicros());
    o.put("pauseP99Micros", n.pauseP99Micros());
    if (n.error() != null) {
      o.put("error", n.error());
    }
    return event(type, r, o);
  }

  private static RolloutEvent phase(Rollout r, RolloutPhase before, long now) {
    ObjectNode o = fact(Type.PHASE, r, now);
    o.put("phase", r.phase().wireName());
    if (before != null) {
      o.put("from", before.wireName());
    }
    o.put("batch", Math.min(r.batch() + 1, r.batches().size()));
    o.put("of", r.batches().size());
    if (r.error() != null) {
      o.put("reason", r.error());
    }
    return event(Type.PHASE, r, o);
  }

  private static RolloutEvent finished(Rollout r, long now) {
    ObjectNode o = fact(Type.FINISHED, r, now);
    o.put("phase", r.phase().wireName());
    o.put("target", r.target().toString());
    o.put("nodes", r.nodes().size());
    o.put("tookMillis", r.finishedAtMillis() - r.startedAtMillis());
    if (r.error() != null) {
      o.put("error", r.error());
    }
    return event(Type.FINISHED, r, o);
  }

  private static ObjectNode fact(Type type, Rollout r, long now) {
    return JSON.createObjectNode().put("type", type.json()).put("rollout", r.id()).put("atMillis", now);
  }

  private static RolloutEvent event(Type type, Rollout r, ObjectNode data) {
    return new RolloutEvent(type, r.id(), data.toString());
  }

  private static String version(ReleaseId release) {
    return release == null ? null : release.version();
  }
}
