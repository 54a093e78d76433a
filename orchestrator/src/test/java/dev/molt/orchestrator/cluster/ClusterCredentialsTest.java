package dev.molt.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials are the cluster's, with real node JVMs: a third node started with another admin
 * password joins, but can start a rollout nowhere — not through itself with its own password (403,
 * naming both fingerprints: the orchestrator's node holds the cluster's set), not through the
 * others (its password is wrong there: 401) — while the cluster's password still works, and the
 * rollout records who started it.
 */
class ClusterCredentialsTest {
  private static final String START = "{\"target\": \"counter-1.0.0\"}";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path work;

  @Test
  void aNodeWithAnotherPasswordCannotStartARolloutAnywhere() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(work, 3, List.of(List.of(), List.of(),
        List.of("-Dmolt.http.admin-password=rogue")))) {
      String rogue = cluster.node(2).name();

      LocalCluster.Response itself = cluster.postAs(2, "/molt/rollouts", START, "admin:rogue");
      assertEquals(403, itself.status(), itself.toString());
      assertEquals("credentials differ", itself.body().path("error").asText());
      String detail = itself.body().path("detail").asText();
      assertTrue(detail.startsWith("node " + rogue + "'s credentials differ from the cluster's (fingerprint "), detail);
      LocalCluster.Response upload = cluster.uploadBytes(2, new byte[] {1, 2, 3}, "admin:rogue");
      assertEquals(403, upload.status(), "an upload through it is refused before it is unpacked: " + upload);

      for (int other : List.of(0, 1)) {
        LocalCluster.Response elsewhere = cluster.postAs(other, "/molt/rollouts", START, "admin:rogue");
        assertEquals(401, elsewhere.status(), "node " + other + ": " + elsewhere);
      }
      LocalCluster.Response withTheClustersPassword = cluster.postAs(2, "/molt/rollouts", START, "admin:" + LocalCluster.PASSWORD);
      assertEquals(401, withTheClustersPassword.status(), "node 2 does not know the cluster's password: " + withTheClustersPassword);

      JsonNode view = cluster.getAdmin(0, "/molt/cluster").body();
      String clusterPrint = view.path("credentials").asText();
      cluster.await("every node's fingerprint in /molt/cluster", () -> {
        JsonNode now = cluster.getAdmin(0, "/molt/cluster").body();
        for (JsonNode member : now.path("members")) {
          if (member.path("credentials").isNull() || member.path("credentials").isMissingNode()) {
            return false;
          }
        }
        return true;
      });
      for (JsonNode member : cluster.getAdmin(0, "/molt/cluster").body().path("members")) {
        if (member.path("node").asText().equals(rogue)) {
          assertNotEquals(clusterPrint, member.path("credentials").asText(), member.toString());
          assertTrue(detail.contains(member.path("credentials").asText() + " vs " + clusterPrint), detail);
        } else {
          assertEquals(clusterPrint, member.path("credentials").asText(), member.toString());
        }
      }

      // The cluster's own credentials still work, through a node that holds them.
      LocalCluster.Response uploaded = cluster.upload(0, ClusterRolloutTest.bundle("1.0.0"));
      assertEquals(201, uploaded.status(), uploaded.toString());
      JsonNode done = cluster.rollout(1, START);
      assertEquals("completed", done.path("phase").asText(), done.toString());
      assertEquals("start", done.path("requested").path(0).path("action").asText(), done.toString());
      assertEquals("admin", done.path("requested").path(0).path("user").asText(), done.toString());
    }
  }
}
