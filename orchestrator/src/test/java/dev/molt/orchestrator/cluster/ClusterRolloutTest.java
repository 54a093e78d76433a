package dev.molt.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real node JVMs on 127.0.0.1: releases uploaded over HTTP, 1.0.0 rolled out, then 2.0.0 in
 * batches of one behind a canary, state kept on every node; then back to 1.0.0.
 */
class ClusterRolloutTest {
  private static final int KEYS_PER_NODE = 5;

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path work;

  @Test
  void rollOutUpgradeAndRollBackAcrossThreeNodes() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(work, 3, List.of())) {
      var v1 = cluster.upload(0, bundle("1.0.0"));
      assertEquals(201, v1.status(), v1.toString());
      assertEquals(3, v1.body().path("storedOn").size(), "1.0.0 reached every node before any install: " + v1);
      var v2 = cluster.upload(1, bundle("2.0.0"));
      assertEquals(201, v2.status(), v2.toString());
      assertEquals(3, v2.body().path("storedOn").size(), v2.toString());

      JsonNode first = cluster.rollout(0, "{\"target\": \"1.0.0\"}");
      assertEquals("completed", first.path("phase").asText(), first.toString());
      assertMembersOn(cluster, "counter-1.0.0");

      for (int n = 0; n < 3; n++) {
        for (int k = 0; k < KEYS_PER_NODE; k++) {
          for (long seq = 1; seq <= 3; seq++) {
            cluster.increment(n, "n" + n + "-k" + k, seq);
          }
        }
      }
      for (int n = 0; n < 3; n++) {
        int node = n;
        cluster.await("state on node " + n, () -> cluster.counter(node, "n" + node + "-k0").path("count").asLong() == 3);
      }

      var started = cluster.post(2, "/molt/rollouts", "{\"target\": \"2.0.0\", \"batchSize\": 1, \"canary\": true, \"mode\": \"pipelined\"}");
      assertEquals(202, started.status(), started.toString());
      String id = started.body().path("id").asText();
      JsonNode paused = cluster.awaitRolloutPhase(0, id, "paused");
      assertEquals(1, paused.path("batch").asInt(), "the canary batch ran, then it waits: " + paused);
      var second = cluster.post(1, "/molt/rollouts", "{\"target\": \"1.0.0\"}");
      assertEquals(409, second.status(), "one rollout at a time: " + second);
      assertEquals("rollout running", second.body().path("error").asText());
      var promoted = cluster.post(0, "/molt/rollouts/" + id + "/promote", "");
      assertEquals(200, promoted.status(), promoted.toString());
      JsonNode upgrade = cluster.awaitRollout(0, id);
      assertEquals("completed", upgrade.path("phase").asText(), upgrade.toString());
      assertEquals(3, upgrade.path("batches").size(), "batches of one");
      assertMembersOn(cluster, "counter-2.0.0");
      for (int n = 0; n < 3; n++) {
        for (int k = 0; k < KEYS_PER_NODE; k++) {
          JsonNode state = cluster.counter(n, "n" + n + "-k" + k);
          assertEquals(2, state.path("version").asInt(), "node " + n + " key " + k + " runs v2");
          assertEquals(3, state.path("total").asLong(), "node " + n + " key " + k + " kept its count: " + state);
          assertEquals(0, state.path("gaps").asLong());
        }
      }

      // Back to 1.0.0 with the rollout's own rollback: every node downgraded, 1.0.0 permanent again.
      var rollback = cluster.post(1, "/molt/rollouts/" + id + "/rollback", "");
      assertEquals(200, rollback.status(), rollback.toString());
      JsonNode back = cluster.awaitRollout(1, id);
      assertEquals("rolled-back", back.path("phase").asText(), back.toString());
      assertMembersOn(cluster, "counter-1.0.0");
      for (int n = 0; n < 3; n++) {
        JsonNode state = cluster.counter(n, "n" + n + "-k1");
        assertEquals(1, state.path("version").asInt());
        assertEquals(3, state.path("count").asLong(), "state kept going down too");
      }

      String logs = cluster.logs();
      // The orchestrator's progress, as a user follows it, into the test output.
      logs.lines().filter(l -> l.contains(" rollout=")).forEach(l -> System.out.println("[orchestrator log] " + l));
      assertTrue(logs.contains("rollout=" + id + " node=") && logs.contains("step=install from=1.0.0 to=2.0.0"),
          "the orchestrator's progress lines");
      assertTrue(logs.contains("rollout=" + id + " done phase=completed"), "a final summary line");
      assertTrue(logs.contains("step=rollback from=2.0.0 to=1.0.0"), "the rollback's per-node lines");
      assertTrue(logs.contains("rollout=" + id + " done phase=rolled-back"), "the rollback's summary line");
      JsonNode list = cluster.get(2, "/molt/rollouts");
      assertEquals(2, list.path("rollouts").size());
    }
  }

  static void assertMembersOn(LocalCluster cluster, String release) {
    JsonNode view = cluster.get(0, "/molt/cluster");
    assertEquals(3, view.path("members").size(), view.toString());
    for (JsonNode member : view.path("members")) {
      assertEquals(release, member.path("running").asText(), member.toString());
      assertEquals(release, member.path("permanent").asText(), member.toString());
      assertEquals(0, member.path("stuckThreads").asInt(-1), member.toString());
      assertFalse(member.path("degraded").asBoolean(true), member.toString());
    }
  }

  static Path bundle(String version) {
    return Path.of(System.getProperty("molt.test.bundles", "../node/target/test-bundles"), "counter-" + version + ".molt");
  }
}
