package dev.molt.orchestrator.rollout;

import akka.actor.typed.ActorRef;
import akka.cluster.ddata.LWWRegister;
import akka.cluster.ddata.typed.javadsl.Replicator;
import dev.molt.orchestrator.events.EventPublisher;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Command;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Problem;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Reply;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.RolloutView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * The rollouts the orchestrator shell knows, oldest first: the one it read from Distributed Data
 * when it started and those it ran since. Each change is kept as the API's view, published as
 * rollout events, handed to the schema floor writer and written to Distributed Data
 * ({@link RolloutStore}, majority write).
 */
final class KnownRollouts {
  private final Map<String, Rollout> rollouts = new LinkedHashMap<>();
  private final RolloutStore store;
  private final EventPublisher events;
  private final ActorRef<SchemaFloorWriter.Message> floorWriter;
  private final Function<Replicator.UpdateResponse<LWWRegister<String>>, Command> saved;
  private final Logger log;

  KnownRollouts(RolloutStore store, EventPublisher events, ActorRef<SchemaFloorWriter.Message> floorWriter,
      Function<Replicator.UpdateResponse<LWWRegister<String>>, Command> saved,
      Logger log) {
    this.store = store;
    this.events = events;
    this.floorWriter = floorWriter;
    this.saved = saved;
    this.log = log;
  }

  /** The rollout read from Distributed Data: known, not published or written again. */
  void recovered(Rollout rollout) {
    rollouts.put(rollout.id(), rollout);
  }

  /** Keeps {@code rollout} as the view, publishes what changed and writes it to a majority. */
  void update(Rollout rollout) {
    events.changed(rollouts.put(rollout.id(), rollout), rollout);
    floorWriter.tell(new SchemaFloorWriter.Saved(rollout));
    if (!store.save(rollout, saved)) {
      log.error("rollout {} cannot be written as JSON: not saved", rollout.id());
    }
  }

  /** The rollout ended; a completed one's release is also written, for reconciliation and node readiness. */
  void finished(Rollout rollout) {
    update(rollout);
    if (rollout.phase() == RolloutPhase.COMPLETED) {
      store.saveCompleted(rollout, saved);
    }
  }

  Rollout get(String id) {
    return rollouts.get(id);
  }

  /** The rollout's view, or 404 naming the id. */
  Reply view(String id) {
    Rollout rollout = rollouts.get(id);
    return rollout == null ? unknown(id) : new RolloutView(rollout);
  }

  static Problem unknown(String id) {
    return new Problem(404, "unknown rollout", "no rollout with id '" + id + "'");
  }

  Collection<Rollout> all() {
    return rollouts.values();
  }

  /** The rollout that is not finished, if any: there is at most one. */
  Optional<Rollout> active() {
    return rollouts.values().stream().filter(r -> !r.finished()).findFirst();
  }

  /** The newest rollout; there is one once any rollout is known. */
  Rollout latest() {
    return new ArrayList<>(rollouts.values()).get(rollouts.size() - 1);
  }

  /** A failed or aborted rollout leaves the cluster as it is until someone decides. */
  boolean awaitsAHuman() {
    return !rollouts.isEmpty() && latest().phase().awaitsAHuman();
  }

  List<Rollout> list() {
    return List.copyOf(rollouts.values());
  }
}
