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
import dev.molt.protocol.control.ControlMessages.Ack;
import dev.molt.protocol.release.ReleaseId;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A node follows the cluster's write schema floor (Distributed Data) into its own SchemaFloors. */
class ClusterSchemaFloorTest {

  @Test
  void theNodeAppliesAndLiftsTheClustersFloor() {
    try (MoltTestKit molt = singleNodeCluster()) {
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

  @Test
  void aConfirmationAnswersOnlyOnceTheNodeAppliesTheFloorAskedAndNamesWhyNot() {
    try (MoltTestKit molt = singleNodeCluster()) {
      ClusterSchemaFloor floor = ClusterSchemaFloor.get(molt.kit.system());
      SchemaFloors floors = SchemaFloors.get(molt.kit.system());
      SelfUniqueAddress self = DistributedData.get(molt.kit.system()).selfUniqueAddress();
      String node = NodeName.of(molt.kit.system());
      TestProbe<Ack> acks = molt.kit.createTestProbe();

      floor.confirm(MoltTestKit.V1, acks.getRef());
      assertEquals(new Ack(node, false, node + " cannot apply schema floor counter-1.0.0: a majority of nodes holds no "
          + "schema floor at all"), acks.receiveMessage(), "nothing written yet: nothing to confirm");
      assertEquals(Optional.empty(), floors.floor("counter"), "and nothing changed");

      update(molt, current -> ClusterSchemaFloor.set(current, self, MoltTestKit.V1));
      floor.confirm(MoltTestKit.V1, acks.getRef());
      assertEquals(new Ack(node, true, null), acks.receiveMessage());
      assertEquals(Optional.of(MoltTestKit.V1), floors.floor("counter"), "applied when the ack is sent, not later");
      assertEquals(1, floors.writeSchema("counter", "counter"));

      floor.confirm(MoltTestKit.V2, acks.getRef());
      assertEquals(new Ack(node, false, node + " cannot apply schema floor counter-2.0.0: the cluster's schema floor (read "
          + "from a majority) is counter-1.0.0, not counter-2.0.0"), acks.receiveMessage());

      ReleaseId unknown = new ReleaseId("counter", "9.0.0");
      update(molt, current -> ClusterSchemaFloor.set(current, self, unknown));
      floor.confirm(unknown, acks.getRef());
      assertEquals(new Ack(node, false, node + " cannot apply schema floor counter-9.0.0: release counter-9.0.0 is not in "
          + "this node's store: a schema floor must be a release the node has"), acks.receiveMessage());
      assertEquals(Optional.of(MoltTestKit.V1), floors.floor("counter"), "a floor the node cannot apply changes nothing");

      ReleaseId otherApp = new ReleaseId("ledger", "1.0.0");
      update(molt, current -> ClusterSchemaFloor.set(current, self, otherApp));
      floor.confirm(otherApp, acks.getRef());
      assertEquals(new Ack(node, true, null), acks.receiveMessage(),
          "a node running nothing of ledger (one that joined mid-rollout) writes none of its messages: no floor needed");
      assertEquals(Optional.empty(), floors.floor("ledger"));
    }
  }

  /** A node with counter 1.0.0 (current) and 2.0.0, a cluster of its own. */
  private static MoltTestKit singleNodeCluster() {
    MoltTestKit molt = MoltTestKit.create("""
        akka.actor.provider = cluster
        akka.remote.artery.canonical.port = 0
        """);
    molt.installCounter("1.0.0", "2.0.0");
    Cluster cluster = Cluster.get(molt.kit.system());
    cluster.manager().tell(new Join(cluster.selfMember().address()));
    return molt;
  }

  private static void update(MoltTestKit molt, Function<LWWMap<String, String>, LWWMap<String, String>> change) {
    TestProbe<Replicator.UpdateResponse<LWWMap<String, String>>> done = molt.kit.createTestProbe();
    DistributedData.get(molt.kit.system()).replicator().tell(new Replicator.Update<>(ClusterSchemaFloor.KEY,
        LWWMap.create(), Replicator.writeLocal(), done.getRef(), change));
    assertEquals(Replicator.UpdateSuccess.class, done.receiveMessage().getClass());
  }
}
