package dev.molt.orchestrator.cluster;

import static dev.molt.orchestrator.cluster.ClusterRolloutTest.assertMembersOn;
import static dev.molt.orchestrator.cluster.ClusterRolloutTest.bundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration failure on the second node of a rollout (batches of one): that node reverts itself,
 * the orchestrator rolls the first node back, every node ends on 1.0.0 with its state, and the log
 * names the node and the cause.
 */
class ClusterAutoRollbackTest {
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path work;

  @Test
  void failureOnTheSecondNodeRollsEveryNodeBack() throws Exception {
    LocalCluster allocated = LocalCluster.allocate(work, 3);
    List<String> order = allocated.namesInBatchOrder();
    String first = order.get(0);
    String faulty = order.get(1);
    try (LocalCluster cluster = allocated.startAll(node ->
        node.name().equals(faulty) ? List.of("-Dmolt.test.fail-migration=true") : List.of())) {
      cluster.onV1WithACounterPerNode();

      JsonNode rollout = cluster.rollout(0, "{\"target\": \"2.0.0\", \"batchSize\": 1}");
      String id = rollout.path("id").asText();
      assertEquals("rolled-back", rollout.path("phase").asText(), rollout.toString());
      assertTrue(rollout.path("error").asText().contains("install on " + faulty + " failed"), rollout.toString());
      assertTrue(rollout.path("error").asText().contains("migration refused: molt.test.fail-migration is set on this node"),
          rollout.toString());
      assertEquals("rolled-back", rollout.path("nodes").path(first).path("status").asText(), rollout.toString());
      assertEquals("failed", rollout.path("nodes").path(faulty).path("status").asText(), rollout.toString());

      assertMembersOn(cluster, "counter-1.0.0");
      for (int n = 0; n < 3; n++) {
        JsonNode state = cluster.counter(n, "k" + n);
        assertEquals(1, state.path("version").asInt(), "node " + n + " back on v1");
        assertEquals(1, state.path("count").asLong(), "node " + n + " kept its state");
      }
      String logs = cluster.logs();
      assertTrue(logs.lines().anyMatch(l -> l.contains("rollout=" + id) && l.contains("node=" + faulty)
          && l.contains("failed") && l.contains("migration refused")), "the log names the node and the cause");
      assertTrue(logs.lines().anyMatch(l -> l.contains("rollout=" + id) && l.contains("node=" + first)
          && l.contains("step=rollback from=2.0.0 to=1.0.0")), "the first node was rolled back");
    }
  }
}
