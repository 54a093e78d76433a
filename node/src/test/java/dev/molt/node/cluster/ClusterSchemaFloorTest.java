package dev.molt.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.ddata.LWWMap;
import akka.cluster.ddata.SelfUniqueAddress;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.ddata.typed.javadsl.Replicator;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import dev.molt.node.envelope.SchemaFloors;
import dev.molt.node.testing.MoltTestKit;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A node follows the cluster's write schema floor (Distributed Data) into its own SchemaFloors. */
class ClusterSchemaFloorTest {

  @Test
  void theNodeAppliesAndLiftsTheClustersFloor() {
    try (MoltTestKit molt = MoltTestKit.create("""
        akka.actor.provider = cluster
        akka.remote.artery.canonical.port = 0
        """)) {
      molt.installCounter("1.0.0", "2.0.0");
      Cluster cluster = Cluster.get(molt.kit.system());
      cluster.manager().tell(new Join(cluster.selfMember().address()));
      ClusterSchemaFloor.get(molt.kit.system());
      SchemaFloors floors = SchemaFloors.get(molt.kit.system());
      SelfUniqueAddress self = DistributedData.get(molt.kit.system()).selfUniqueAddress();
      TestProbe<Object> probe = molt.kit.createTestProbe();

      update(molt, current -> ClusterSchemaFloor.set(current, self, MoltTestKit.V1));
      probe.awaitAssert(() -> {
        assertEquals(Optional.of(MoltTestKit.V1), floors.floor("counter"));
        return null;
      });
      assertEquals(1, floors.writeSchema("counter", "counter"));

      update(molt, current -> ClusterSchemaFloor.lift(current, self, "counter"));
      probe.awaitAssert(() -> {
        assertEquals(Optional.empty(), floors.floor("counter"));
        return null;
      });
    }
  }

  private static void update(MoltTestKit molt, Function<LWWMap<String, String>, LWWMap<String, String>> change) {
    TestProbe<Replicator.UpdateResponse<LWWMap<String, String>>> done = molt.kit.createTestProbe();
    DistributedData.get(molt.kit.system()).replicator().tell(new Replicator.Update<>(ClusterSchemaFloor.KEY,
        LWWMap.create(), Replicator.writeLocal(), done.getRef(), change));
    assertEquals(Replicator.UpdateSuccess.class, done.receiveMessage().getClass());
  }
}
