package dev.molt.orchestrator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.cluster.ddata.LWWMap;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.ddata.typed.javadsl.Replicator;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.ConfigFactory;
import dev.molt.node.cluster.ClusterSchemaFloor;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.release.ReleaseId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cluster-wide write floor follows the rollout: the oldest running release while nodes may be
 * mixed (also rolling back, and after a failure), lifted once one release is permanent everywhere.
 */
class SchemaFloorPolicyTest {
  static final ReleaseId V1 = new ReleaseId("counter", "1.0.0");
  static final ReleaseId V2 = new ReleaseId("counter", "2.0.0");
  static final ReleaseId V10 = new ReleaseId("counter", "10.0.0");

  @Test
  void theOldestRunningReleaseWhileNodesMayBeMixed() {
    Map<String, ReleaseId> onV1 = Map.of("a", V1, "b", V1);
    assertEquals(new SchemaFloorPolicy.Set(V1), SchemaFloorPolicy.of(rollout(V2, RolloutPhase.ROLLING, onV1)));
    assertEquals(new SchemaFloorPolicy.Set(V1), SchemaFloorPolicy.of(rollout(V2, RolloutPhase.PAUSED, onV1)));
    assertEquals(new SchemaFloorPolicy.Set(V1), SchemaFloorPolicy.of(rollout(V2, RolloutPhase.ROLLING_BACK, onV1)));
    assertEquals(new SchemaFloorPolicy.Set(V1), SchemaFloorPolicy.of(rollout(V2, RolloutPhase.FAILED, onV1)),
        "a failed rollout leaves the cluster mixed: the floor stays");
    assertEquals(new SchemaFloorPolicy.Set(V2), SchemaFloorPolicy.of(rollout(V10, RolloutPhase.ROLLING,
        Map.of("a", V2, "b", V10))), "versions compare as versions, not text");
    assertEquals(new SchemaFloorPolicy.Set(V1), SchemaFloorPolicy.of(rollout(V1, RolloutPhase.ROLLING,
        Map.of("a", V2))), "a downgrade's target is the oldest");
  }

  @Test
  void liftedOnceOneReleaseIsPermanentEverywhereAndKeptBeforeThePlan() {
    Map<String, ReleaseId> onV1 = Map.of("a", V1);
    assertEquals(new SchemaFloorPolicy.Lift("counter"), SchemaFloorPolicy.of(rollout(V2, RolloutPhase.COMPLETED, onV1)));
    assertEquals(new SchemaFloorPolicy.Lift("counter"), SchemaFloorPolicy.of(rollout(V2, RolloutPhase.ROLLED_BACK, onV1)));
    assertEquals(new SchemaFloorPolicy.Keep(), SchemaFloorPolicy.of(rollout(V2, RolloutPhase.DISTRIBUTING, Map.of())));
  }

  @Test
  void theWriterPutsTheFloorIntoDistributedDataAndLiftsIt() {
    ActorTestKit kit = ActorTestKit.create("floor", ConfigFactory.parseString("""
        akka.actor.provider = cluster
        akka.remote.artery.canonical.port = 0
        """).withFallback(ConfigFactory.load()));
    try {
      Cluster cluster = Cluster.get(kit.system());
      cluster.manager().tell(new Join(cluster.selfMember().address()));
      ActorRef<SchemaFloorWriter.Message> writer = kit.spawn(SchemaFloorWriter.create(Duration.ofSeconds(5)));
      TestProbe<Object> probe = kit.createTestProbe();

      writer.tell(new SchemaFloorWriter.Saved(rollout(V2, RolloutPhase.ROLLING, Map.of("a", V1))));
      probe.awaitAssert(() -> {
        assertEquals(Map.of("counter", "1.0.0"), floors(kit));
        return null;
      });
      writer.tell(new SchemaFloorWriter.Saved(rollout(V2, RolloutPhase.COMPLETED, Map.of("a", V1))));
      probe.awaitAssert(() -> {
        assertEquals(Map.of(), floors(kit));
        return null;
      });
    } finally {
      kit.shutdownTestKit();
    }
  }

  private static Map<String, String> floors(ActorTestKit kit) {
    TestProbe<Replicator.GetResponse<LWWMap<String, String>>> got = kit.createTestProbe();
    DistributedData.get(kit.system()).replicator()
        .tell(new Replicator.Get<>(ClusterSchemaFloor.KEY, Replicator.readLocal(), got.getRef()));
    Replicator.GetResponse<LWWMap<String, String>> response = got.receiveMessage();
    return response instanceof Replicator.GetSuccess<LWWMap<String, String>> success
        ? success.get(ClusterSchemaFloor.KEY).getEntries() : Map.of();
  }

  private static Rollout rollout(ReleaseId target, RolloutPhase phase, Map<String, ReleaseId> previous) {
    return new Rollout("r-1", new RolloutSpec(target, "1", false, 0, InstallMode.BARRIER, true), phase, List.of(),
        0, previous, Map.of(), null, 0, 0, Map.of());
  }
}
