package dev.molt.node.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.Props;
import akka.cluster.ddata.Key;
import akka.cluster.ddata.LWWMap;
import akka.cluster.ddata.LWWMapKey;
import akka.cluster.ddata.SelfUniqueAddress;
import dev.molt.protocol.control.ControlMessages.Ack;
import dev.molt.protocol.release.ReleaseId;
import java.time.Duration;

/**
 * The cluster-wide write schema floor, in Distributed Data: application name to the version of the
 * release every node must write for (the oldest release running during a rollout). Each node
 * follows it into its {@link dev.molt.node.envelope.SchemaFloors} ({@link SchemaFloorFollower}); a
 * node that joins mid-rollout gets it with the first gossip. Written by the orchestrator ({@link
 * #set}, {@link #lift}) with a majority, read everywhere; before installs that mix versions the
 * orchestrator has every node {@link #confirm} it.
 */
public final class ClusterSchemaFloor implements Extension {
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

  private final ActorRef<SchemaFloorFollower.Msg> follower;

  private ClusterSchemaFloor(ActorSystem<?> system) {
    Duration readTimeout = system.settings().config().getDuration("molt.agent.schema-floor-read-timeout");
    follower = system.systemActorOf(SchemaFloorFollower.create(readTimeout), "molt-cluster-schema-floor", Props.empty());
  }

  /**
   * Reads the cluster's floor from a majority of nodes, applies it, and answers {@code replyTo}
   * whether this node now writes for {@code floor} (the orchestrator's confirmation before installs).
   */
  public void confirm(ReleaseId floor, ActorRef<Ack> replyTo) {
    follower.tell(new SchemaFloorFollower.Apply(floor, replyTo));
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
