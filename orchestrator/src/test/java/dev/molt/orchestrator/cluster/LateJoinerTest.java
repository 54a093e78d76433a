package dev.molt.orchestrator.cluster;

import static dev.molt.orchestrator.cluster.ClusterRolloutTest.bundle;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** A node that joins after the rollout receives the cluster's permanent release and installs it by itself. */
class LateJoinerTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path work;

  @Test
  void aLateNodeIsBroughtOntoTheClustersRelease() throws Exception {
    try (LocalCluster cluster = LocalCluster.allocate(work, 3)) {
      cluster.startNodes(List.of(0, 1));
      cluster.awaitMembers(0, 2);
      assertEquals(201, cluster.upload(0, bundle("1.0.0")).status());
      assertEquals("completed", cluster.rollout(0, "{\"target\": \"1.0.0\"}").path("phase").asText());

      cluster.startNodes(List.of(2));
      String late = cluster.node(2).name();
      cluster.await("the late node on counter-1.0.0, permanent", () -> {
        for (JsonNode member : cluster.get(0, "/molt/cluster").path("members")) {
          if (member.path("node").asText().equals(late)) {
            return "counter-1.0.0".equals(member.path("running").asText())
                && "counter-1.0.0".equals(member.path("permanent").asText());
          }
        }
        return false;
      });
      cluster.increment(2, "late-key", 1);
      cluster.await("the late node serves", () -> cluster.counter(2, "late-key").path("count").asLong() == 1);
    }
  }
}
