package dev.molt.node.cluster;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ddata.Key;
import akka.cluster.ddata.LWWRegister;
import akka.cluster.ddata.LWWRegisterKey;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.ddata.typed.javadsl.Replicator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.molt.protocol.release.ReleaseId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's release as the orchestrator recorded it in Distributed Data: the releases that
 * rollouts completed, newest last. A node reads it to know whether it lags (readiness), the
 * orchestrator to choose what to reconcile to when no release has a majority.
 */
public final class ClusterRelease implements Extension {
  private static final Logger log = LoggerFactory.getLogger(ClusterRelease.class);

  /** Written by the orchestrator only (majority writes), read everywhere. */
  public static final Key<LWWRegister<String>> KEY = LWWRegisterKey.create("molt-completed-releases");
  /** How many completed releases the record keeps: enough to find one some node still holds. */
  public static final int KEPT = 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One release a rollout completed (made permanent on every node it covered). */
  public record Completed(ReleaseId release, String rollout, long atMillis) {}

  /** The completed releases, oldest first, at most {@link #KEPT}. */
  public record History(List<Completed> completed) {
    public History {
      completed = completed == null ? List.of() : List.copyOf(completed);
    }

    public Optional<ReleaseId> newest() {
      return completed.isEmpty() ? Optional.empty() : Optional.of(completed.get(completed.size() - 1).release());
    }

    public History with(Completed next) {
      List<Completed> all = new ArrayList<>(completed);
      all.add(next);
      return new History(all.subList(Math.max(0, all.size() - KEPT), all.size()));
    }

    public String toJson() {
      try {
        return JSON.writeValueAsString(this);
      } catch (Exception e) {
        throw new IllegalStateException("cannot write the release history: " + e, e);
      }
    }

    /** The history in {@code json}; an unreadable record (a newer writer) counts as empty, with a WARN. */
    public static History parse(String json) {
      if (json == null || json.isBlank()) {
        return new History(List.of());
      }
      try {
        return JSON.readValue(json, History.class);
      } catch (Exception e) {
        log.warn("cluster release record unreadable, ignored: {}", e.toString());
        return new History(List.of());
      }
    }
  }

  public static final ExtensionId<ClusterRelease> ID = new ExtensionId<>() {
    @Override
    public ClusterRelease createExtension(ActorSystem<?> system) {
      return new ClusterRelease(system);
    }
  };

  public static ClusterRelease get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  private volatile History history = new History(List.of());

  private ClusterRelease(ActorSystem<?> system) {
    var replicator = DistributedData.get(system).replicator();
    // A local subscriber: the replicator tells it every change gossiped to this node.
    system.systemActorOf(Behaviors.<Replicator.SubscribeResponse<LWWRegister<String>>>setup(context -> {
      replicator.tell(new Replicator.Subscribe<>(KEY, context.getSelf()));
      return Behaviors.receiveMessage(response -> {
        if (response instanceof Replicator.Changed<LWWRegister<String>> changed) {
          history = History.parse(changed.get(KEY).getValue());
          log.info("cluster release is now {}", history.newest().map(String::valueOf).orElse("none"));
        }
        return Behaviors.same();
      });
    }), "molt-cluster-release", Props.empty());
  }

  /** The release the last completed rollout left the cluster on, as far as this node has heard. */
  public Optional<ReleaseId> release() {
    return history.newest();
  }

  public History history() {
    return history;
  }
}
