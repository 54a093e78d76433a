package dev.molt.orchestrator.cluster;

import static dev.molt.orchestrator.cluster.ClusterRolloutTest.bundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that joins while a rollout runs (here: paused at its canary) is not part of it. It runs
 * nothing and says so: not ready, while the cluster has a release. When the rollout completes it
 * is reconciled onto the cluster's new release and serves.
 */
class JoinDuringRolloutTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path work;

  @Test
  void aNodeJoiningMidRolloutIsNotReadyThenEndsOnTheClustersRelease() throws Exception {
    try (LocalCluster cluster = LocalCluster.allocate(work, 3)) {
      cluster.startNodes(List.of(0, 1));
      cluster.awaitMembers(0, 2);
      assertEquals(201, cluster.upload(0, bundle("1.0.0")).status());
      assertEquals(201, cluster.upload(0, bundle("2.0.0")).status());
      assertEquals("completed", cluster.rollout(0, "{\"target\": \"1.0.0\"}").path("phase").asText());

      String spec = "{\"target\": \"2.0.0\", \"batchSize\": 1, \"canary\": true}";
      var started = cluster.post(0, "/molt/rollouts", spec, "start-2");
      assertEquals(202, started.status(), started.toString());
      String id = started.body().path("id").asText();
      // A retried start (same key) answers the first result, through another node, and starts nothing.
      var again = cluster.post(1, "/molt/rollouts", spec, "start-2");
      assertEquals(202, again.status(), again.toString());
      assertEquals(id, again.body().path("id").asText());
      var bad = cluster.post(0, "/molt/rollouts", spec, "no spaces allowed");
      assertEquals(400, bad.status(), bad.toString());
      assertEquals("bad Idempotency-Key", bad.body().path("error").asText(), bad.toString());
      cluster.awaitRolloutPhase(0, id, "paused");

      cluster.startNodes(List.of(2));
      String late = cluster.node(2).name();
      cluster.await("the late node listed, running nothing and not ready", () -> {
        JsonNode member = member(cluster, late);
        return member != null && member.path("running").isNull() && !member.path("ready").asBoolean(true);
      });
      // Its management port may bind a moment after its agent answers: wait for it to answer at all.
      cluster.await("its /ready to answer", () -> cluster.getResponse(2, "/ready") != null);
      var ready = cluster.getResponse(2, "/ready");
      assertNotEquals(200, ready.status(), "its /ready says it serves nothing: " + ready);

      var promoted = cluster.post(0, "/molt/rollouts/" + id + "/promote", "", "promote-1");
      assertEquals(200, promoted.status(), promoted.toString());
      // Without the key a second promote is a 409 (no longer paused); with it, the first answer again.
      var repeated = cluster.post(1, "/molt/rollouts/" + id + "/promote", "", "promote-1");
      assertEquals(200, repeated.status(), repeated.toString());
      var reused = cluster.post(0, "/molt/rollouts/" + id + "/abort", "", "promote-1");
      assertEquals(422, reused.status(), reused.toString());
      assertEquals(409, cluster.post(0, "/molt/rollouts/" + id + "/promote", "").status(), "a new promote does not apply");
      JsonNode done = cluster.awaitRollout(0, id);
      assertEquals("completed", done.path("phase").asText(), done.toString());
      assertEquals(2, done.path("nodes").size(), "the late node was not part of the rollout: " + done);

      cluster.await("the late node on counter-2.0.0, permanent, ready", () -> {
        JsonNode member = member(cluster, late);
        return member != null && "counter-2.0.0".equals(member.path("running").asText())
            && "counter-2.0.0".equals(member.path("permanent").asText()) && member.path("ready").asBoolean();
      });
      cluster.increment(2, "late-key", 1);
      cluster.await("the late node serves on v2", () -> cluster.counter(2, "late-key").path("total").asLong() == 1);
      assertEquals(2, cluster.counter(2, "late-key").path("version").asInt());
      cluster.await("its /ready says ready", () -> cluster.getResponse(2, "/ready").status() == 200);
    }
  }

  private static JsonNode member(LocalCluster cluster, String node) {
    for (JsonNode member : cluster.get(0, "/molt/cluster").path("members")) {
      if (member.path("node").asText().equals(node)) {
        return member;
      }
    }
    return null;
  }
}
