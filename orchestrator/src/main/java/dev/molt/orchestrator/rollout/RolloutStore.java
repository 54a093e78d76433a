package dev.molt.orchestrator.rollout;

import akka.cluster.ddata.Key;
import akka.cluster.ddata.LWWRegister;
import akka.cluster.ddata.LWWRegisterKey;
import akka.cluster.ddata.SelfUniqueAddress;
import akka.cluster.ddata.typed.javadsl.Replicator;
import akka.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.molt.node.cluster.ClusterRelease;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Command;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The orchestrator's durable state in Distributed Data: the latest rollout (with its client
 * request ids) under {@code molt-rollout}, and the releases rollouts completed under
 * {@link ClusterRelease#KEY}. Majority writes, so a new singleton finds what the old one wrote.
 */
final class RolloutStore {
  static final Key<LWWRegister<String>> KEY = LWWRegisterKey.create("molt-rollout");
  /** molt.orchestrator.store.majority-timeout */
  private final Duration majority;
  /** Majority reads tried before the local replica is used (a dead node may still count): molt.orchestrator.store.majority-reads. */
  private final int majorityReads;

  private final ReplicatorMessageAdapter<Command, LWWRegister<String>> replicator;
  private final SelfUniqueAddress self;
  private final ObjectMapper json;

  RolloutStore(ReplicatorMessageAdapter<Command, LWWRegister<String>> replicator, SelfUniqueAddress self, ObjectMapper json,
      Duration majority, int majorityReads) {
    this.majority = majority;
    this.majorityReads = majorityReads;
    this.replicator = replicator;
    this.self = self;
    this.json = json;
  }

  /** Writes the rollout; false (nothing written) when it cannot be serialized, which the caller logs. */
  boolean save(Rollout rollout, Function<Replicator.UpdateResponse<LWWRegister<String>>, Command> saved) {
    String value;
    try {
      value = json.writeValueAsString(rollout);
    } catch (Exception e) {
      return false;
    }
    replicator.askUpdate(r -> new Replicator.Update<>(KEY, LWWRegister.create(self, value),
        new Replicator.WriteMajority(majority), r, current -> current.withValue(self, value)), saved);
    return true;
  }

  /** Appends the release a rollout completed, for reconciliation without a majority and node readiness. */
  void saveCompleted(Rollout rollout, Function<Replicator.UpdateResponse<LWWRegister<String>>, Command> saved) {
    var completed = new ClusterRelease.Completed(rollout.target(), rollout.id(), rollout.finishedAtMillis());
    String first = new ClusterRelease.History(List.of(completed)).toJson();
    replicator.askUpdate(r -> new Replicator.Update<>(ClusterRelease.KEY, LWWRegister.create(self, first),
        new Replicator.WriteMajority(majority), r,
        current -> current.withValue(self, ClusterRelease.History.parse(current.getValue()).with(completed).toJson())),
        saved);
  }

  /** Reads the rollout from a majority for the first attempts, then from the local replica (filled by gossip). */
  void load(int attempt, Function<Replicator.GetResponse<LWWRegister<String>>, Command> loaded) {
    Replicator.ReadConsistency consistency = attempt <= majorityReads
        ? new Replicator.ReadMajority(majority) : Replicator.readLocal();
    replicator.askGet(r -> new Replicator.Get<>(KEY, consistency, r), loaded);
  }

  Rollout read(Replicator.GetSuccess<LWWRegister<String>> success) throws java.io.IOException {
    return json.readValue(success.get(KEY).getValue(), Rollout.class);
  }
}
