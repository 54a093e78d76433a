package dev.molt.node.cluster;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ddata.Key;
import akka.cluster.ddata.LWWMap;
import akka.cluster.ddata.LWWMapKey;
import akka.cluster.ddata.SelfUniqueAddress;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.ddata.typed.javadsl.Replicator;
import dev.molt.node.envelope.SchemaFloors;
import dev.molt.protocol.release.ReleaseId;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-wide write schema floor, in Distributed Data: application name to the version of the
 * release every node must write for (the oldest release running during a rollout). Each node
 * follows it into its {@link SchemaFloors}; a node that joins mid-rollout gets it with the first
 * gossip. Written by the orchestrator ({@link #set}, {@link #lift}), read everywhere.
 */
public final class ClusterSchemaFloor implements Extension {
  private static final Logger log = LoggerFactory.getLogger(ClusterSchemaFloor.class);

  public static final Key<LWWMap<String, String>> KEY = LWWMapKey.create("molt-schema-floors");

  public static final ExtensionId<ClusterSchemaFloor> ID = new ExtensionId<>() {
    @Override
    public ClusterSchemaFloor createExtension(ActorSystem<?> system) {
      return new ClusterSchemaFloor(system);
    }
  };

  public static ClusterSchemaFloor get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  private ClusterSchemaFloor(ActorSystem<?> system) {
    SchemaFloors floors = SchemaFloors.get(system);
    var replicator = DistributedData.get(system).replicator();
    system.systemActorOf(Behaviors.<Replicator.SubscribeResponse<LWWMap<String, String>>>setup(context -> {
      replicator.tell(new Replicator.Subscribe<>(KEY, context.getSelf()));
      Set<String> applied = new HashSet<>();
      return Behaviors.receiveMessage(response -> {
        if (response instanceof Replicator.Changed<LWWMap<String, String>> changed) {
          apply(floors, changed.get(KEY).getEntries(), applied);
        }
        return Behaviors.same();
      });
    }), "molt-cluster-schema-floor", Props.empty());
  }

  private static void apply(SchemaFloors floors, Map<String, String> wanted, Set<String> applied) {
    for (String app : Set.copyOf(applied)) {
      if (!wanted.containsKey(app)) {
        floors.lift(app);
        applied.remove(app);
      }
    }
    wanted.forEach((app, version) -> {
      ReleaseId release = new ReleaseId(app, version);
      if (floors.floor(app).filter(release::equals).isPresent()) {
        return;
      }
      try {
        floors.set(release);
        applied.add(app);
      } catch (IllegalArgumentException e) {
        // This node cannot know what that release reads; it keeps writing as before and says so.
        log.warn("cluster schema floor {} not applied on this node: {}", release, e.getMessage());
      }
    });
  }

  /** The update that makes {@code release} the floor of its application cluster-wide. */
  public static LWWMap<String, String> set(LWWMap<String, String> current, SelfUniqueAddress writer, ReleaseId release) {
    return current.put(writer, release.name(), release.version());
  }

  /** The update that lifts {@code application}'s floor cluster-wide. */
  public static LWWMap<String, String> lift(LWWMap<String, String> current, SelfUniqueAddress writer, String application) {
    return current.remove(writer, application);
  }
}
