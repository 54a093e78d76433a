package dev.molt.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.deploy.load.ScoreLoad;
import dev.molt.orchestrator.cluster.LocalCluster;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's first must-show, on three node JVMs: the game's rooms are sharded entities behind the
 * game's own API on the application ports. A score posted to room {@code r1} through node 1 is read
 * through node 3; 1.0.0 → 2.0.0 (canary, then promote) → 1.0.0 under load spread over every node's
 * application port: no acknowledged score lost, {@code zone} set going up and dropped going down,
 * and every node answers the same state for each room.
 */
class ShardedRoomsTest {
  private static final int ROOMS = 12;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path work;

  @Test
  void roomsAnswerFromAnyNodeAndKeepEveryScoreThroughUpgradeAndDowngrade() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(work, 3, List.of())) {
      GameBundles.deploy(cluster, "1.0.0", "2.0.0");
      for (int n = 0; n < 3; n++) {
        int node = n;
        cluster.await("the game's routes on node " + n, () -> cluster.app(node, "GET", "/rooms/r1", null).status() == 200);
      }

      var scored = cluster.app(0, "POST", "/rooms/r1/scores", "{\"player\": \"ann\", \"seq\": 1, \"points\": 5}");
      assertEquals(200, scored.status(), scored.toString());
      JsonNode r1 = cluster.app(2, "GET", "/rooms/r1", null).body();
      assertEquals(5, r1.path("players").path("ann").path("points").asLong(), "written through node 1, read through node 3: " + r1);
      assertEquals(1, r1.path("version").asInt(), r1.toString());

      ScoreLoad load = GameLoad.start(cluster, ROOMS, 2, 4);
      // Every room is born on 1.0.0, so that each gets its zone from 2.0.0's up-migration.
      cluster.await("every room scored on 1.0.0", () -> load.roomsScored() == ROOMS);

      var started = cluster.post(1, "/molt/rollouts", "{\"target\": \"2.0.0\", \"batchSize\": 1, \"canary\": true}");
      assertEquals(202, started.status(), started.toString());
      String id = started.body().path("id").asText();
      cluster.awaitRolloutPhase(0, id, "paused");
      GameLoad.flowing(cluster, load, "scores flowing with the canary on 2.0.0");
      assertEquals(200, cluster.post(0, "/molt/rollouts/" + id + "/promote", "").status());
      JsonNode up = cluster.awaitRollout(0, id);
      assertEquals("completed", up.path("phase").asText(), up.toString());
      for (int r = 0; r < ROOMS; r++) {
        for (int n = 0; n < 3; n++) {
          // Scores still arrive: each node's answer is checked, their equality once the load stopped.
          var read = cluster.app(n, "GET", "/rooms/room-" + r, null);
          assertEquals(200, read.status(), "node " + n + ": " + read);
          assertEquals(2, read.body().path("version").asInt(), read.toString());
          assertEquals("eu-west", read.body().path("zone").asText(), "2.0.0's up-migration set the zone: " + read);
        }
      }

      GameLoad.flowing(cluster, load, "scores flowing on 2.0.0");
      JsonNode down = cluster.rollout(2, "{\"target\": \"1.0.0\", \"batchSize\": 1}");
      assertEquals("completed", down.path("phase").asText(), down.toString());
      GameLoad.flowing(cluster, load, "scores flowing on 1.0.0 again");
      GameLoad.stopAndVerify(load, "sharded rooms");

      for (int r = 0; r < ROOMS; r++) {
        JsonNode room = sameOnEveryNode(cluster, "room-" + r);
        assertEquals(1, room.path("version").asInt(), room.toString());
        assertTrue(room.path("zone").isMissingNode(), "the down-migration dropped the zone: " + room);
      }
      assertEquals(5, sameOnEveryNode(cluster, "r1").path("players").path("ann").path("points").asLong());
    }
  }

  /** The room as node 1 answers it, after checking that nodes 2 and 3 answer the very same state. */
  private static JsonNode sameOnEveryNode(LocalCluster cluster, String room) {
    JsonNode first = null;
    for (int n = 0; n < 3; n++) {
      var read = cluster.app(n, "GET", "/rooms/" + room, null);
      assertEquals(200, read.status(), "node " + n + ": " + read);
      if (first == null) {
        first = read.body();
      } else {
        assertEquals(first, read.body(), "one state per room cluster-wide: " + room + " through node " + n);
      }
    }
    return first;
  }
}
