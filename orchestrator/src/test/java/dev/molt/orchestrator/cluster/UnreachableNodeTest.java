package dev.molt.orchestrator.cluster;

import static dev.molt.orchestrator.cluster.ClusterRolloutTest.assertMembersOn;
import static dev.molt.orchestrator.cluster.ClusterRolloutTest.bundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * SIGSTOP of a node during its install (a long GC pause, as the cluster sees it). The orchestrator
 * waits {@code molt.orchestrator.unreachable-wait} (10 s here) for an unreachable node. Stopped for
 * less, the rollout carries on and completes. Stopped for longer, its step fails and the rollback
 * covers every upgraded node, the stopped one included once it is back (the Split Brain Resolver
 * is set to wait 60 s here, so the node is not downed; with a shorter stable-after it would be
 * downed and restart on its permanent release, which is still the old one).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UnreachableNodeTest {
  private Path work;
  private LocalCluster cluster;
  private List<String> order;
  private String victim;
  private NodeProcess victimNode;

  @BeforeAll
  void start() throws Exception {
    work = Files.createTempDirectory("unreachable-node-test");
    LocalCluster allocated = LocalCluster.allocate(work, 3);
    order = allocated.namesInBatchOrder();
    victim = order.get(2).equals(allocated.node(0).name()) ? order.get(1) : order.get(2);
    victimNode = allocated.nodes.stream().filter(n -> n.name().equals(victim)).findFirst().orElseThrow();
    cluster = allocated.startAll(node -> {
      List<String> options = new java.util.ArrayList<>(List.of("-Dmolt.orchestrator.unreachable-wait=10s",
          "-Dakka.cluster.split-brain-resolver.stable-after=60s"));
      if (node.name().equals(victim)) {
        options.add("-Dmolt.test.migration-sleep-millis=3000");
        // The stop counts in the migration's wall-clock time: it must not fail on its budget instead.
        options.add("-Dmolt.host.migration-budget=120s");
      }
      return options;
    });
    cluster.onV1WithACounterPerNode();
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Starts 1.0.0 -> 2.0.0 in batches of one and stops the victim 200 ms into its install. */
  private String startAndStopTheVictimMidInstall() throws Exception {
    long installs = victimNode.countLog("-> counter-2.0.0 mode=");
    var started = cluster.post(0, "/molt/rollouts", "{\"target\": \"2.0.0\", \"batchSize\": 1}");
    assertEquals(202, started.status(), started.toString());
    victimNode.awaitLog("-> counter-2.0.0 mode=", installs + 1);
    Thread.sleep(200);
    victimNode.suspend();
    return started.body().path("id").asText();
  }

  private long orchestratorLogLines(String text) {
    return cluster.logs().lines().filter(l -> l.contains(text)).count();
  }

  @Test
  @Order(1)
  void aShortStopIsWaitedForAndTheRolloutCompletes() throws Exception {
    long before = orchestratorLogLines("node=" + victim + " unreachable (cluster membership)");
    String id = startAndStopTheVictimMidInstall();
    // Resumed as soon as the orchestrator saw it unreachable: well inside the 10 s wait.
    cluster.await("the orchestrator sees " + victim + " unreachable",
        () -> orchestratorLogLines("node=" + victim + " unreachable (cluster membership)") > before);
    victimNode.resume();

    JsonNode done = cluster.awaitRollout(0, id);
    assertEquals("completed", done.path("phase").asText(), done.toString());
    assertEquals("installed", done.path("nodes").path(victim).path("status").asText(), done.toString());
    assertMembersOn(cluster, "counter-2.0.0");
    for (int n = 0; n < 3; n++) {
      JsonNode state = cluster.counter(n, "k" + n);
      assertEquals(2, state.path("version").asInt(), "node " + n + " on v2");
      assertEquals(1, state.path("total").asLong(), "node " + n + " kept its state");
    }
  }

  @Test
  @Order(2)
  void aLongStopFailsTheStepAndTheRollbackCoversTheStoppedNode() throws Exception {
    assertEquals("completed", cluster.rollout(0, "{\"target\": \"1.0.0\"}").path("phase").asText());
    String id = startAndStopTheVictimMidInstall();
    cluster.await("the step of " + victim + " to fail after the unreachable wait",
        () -> orchestratorLogLines("rollout=" + id + " node=" + victim + " step=install failed: node " + victim
            + " stayed unreachable") > 0);
    cluster.await("the rollback to wait for " + victim,
        () -> orchestratorLogLines("rollout=" + id + " node=" + victim + " step=rollback waits") > 0);
    victimNode.resume();

    JsonNode done = cluster.awaitRollout(0, id);
    assertEquals("rolled-back", done.path("phase").asText(), done.toString());
    String error = done.path("error").asText();
    assertTrue(error.contains("install on " + victim + " failed: node " + victim
        + " stayed unreachable (cluster membership) for more than 10 s"), error);
    for (String node : order) {
      if (order.indexOf(node) <= order.indexOf(victim)) {
        assertEquals("rolled-back", done.path("nodes").path(node).path("status").asText(), node + ": " + done);
      }
    }
    assertMembersOn(cluster, "counter-1.0.0");
    for (int n = 0; n < 3; n++) {
      JsonNode state = cluster.counter(n, "k" + n);
      assertEquals(1, state.path("version").asInt(), "node " + n + " back on v1");
      assertEquals(1, state.path("count").asLong(), "node " + n + " kept its state");
    }
  }
}
