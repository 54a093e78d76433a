package dev.molt.orchestrator.cluster;

import static dev.molt.orchestrator.cluster.ClusterRolloutTest.bundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a node 200 ms into its install (its migration is slow, so the install is in flight):
 * cluster membership reports it downed, its step fails at once with that reason (not after the
 * install ask's 30 minutes), and the rollout rolls back the nodes it had upgraded. The survivors
 * end on the old release, permanent, with their state.
 */
class NodeLostDuringInstallTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path work;

  @Test
  void killMinusNineDuringItsInstallFailsTheStepThroughMembershipAndRollsBack() throws Exception {
    LocalCluster allocated = LocalCluster.allocate(work, 3);
    List<String> order = allocated.namesInBatchOrder();
    // The last node in batch order that does not host the singleton (node 0, the oldest).
    String victim = order.get(2).equals(allocated.node(0).name()) ? order.get(1) : order.get(2);
    NodeProcess victimNode = allocated.nodes.stream().filter(n -> n.name().equals(victim)).findFirst().orElseThrow();
    try (LocalCluster cluster = allocated.startAll(node -> node.name().equals(victim)
        ? List.of("-Dmolt.test.migration-sleep-millis=15000") : List.of())) {
      cluster.onV1WithACounterPerNode();

      var started = cluster.post(0, "/molt/rollouts", "{\"target\": \"2.0.0\", \"batchSize\": 1}");
      assertEquals(202, started.status(), started.toString());
      String id = started.body().path("id").asText();
      victimNode.awaitLog("-> counter-2.0.0 mode=");
      Thread.sleep(200);
      victimNode.kill();

      JsonNode done = cluster.awaitRollout(0, id);
      assertEquals("rolled-back", done.path("phase").asText(), done.toString());
      String error = done.path("error").asText();
      assertTrue(error.startsWith("install on " + victim + " failed: node " + victim + " was "), error);
      assertTrue(error.contains("(cluster membership) during its install"), error);
      JsonNode lost = done.path("nodes").path(victim);
      assertEquals("not-rolled-back", lost.path("status").asText(), done.toString());
      assertTrue(lost.path("error").asText().contains("removed from the cluster (cluster membership)"), done.toString());
      for (String node : order) {
        if (!node.equals(victim) && order.indexOf(node) < order.indexOf(victim)) {
          assertEquals("rolled-back", done.path("nodes").path(node).path("status").asText(), done.toString());
        }
      }

      JsonNode members = cluster.get(0, "/molt/cluster").path("members");
      assertEquals(2, members.size(), members.toString());
      for (JsonNode member : members) {
        assertEquals("counter-1.0.0", member.path("running").asText(), member.toString());
        assertEquals("counter-1.0.0", member.path("permanent").asText(), member.toString());
      }
      for (int n = 0; n < 3; n++) {
        if (cluster.node(n) != victimNode) {
          JsonNode state = cluster.counter(n, "k" + n);
          assertEquals(1, state.path("version").asInt(), "node " + n + " back on v1");
          assertEquals(1, state.path("count").asLong(), "node " + n + " kept its state");
        }
      }
      assertTrue(cluster.logs().lines().anyMatch(l -> l.contains("rollout=" + id) && l.contains("node=" + victim)
          && l.contains("step=install failed") && l.contains("(cluster membership)")), "the log names the node and the cause");
    }
  }
}
