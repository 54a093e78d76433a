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
 * The whole story, smaller than the demo: three node JVMs, the sample game rolled 1.0.0 → 2.0.0 →
 * 3.0.0 → 1.0.0 while a load client scores in 12 rooms across the nodes; no acknowledged score
 * lost, and each version visible in the rooms' answers.
 */
class GameStoryTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path work;

  @Test
  void upgradesAndDowngradeUnderLoadLoseNoAcknowledgedScore() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(work, 3, List.of())) {
      GameBundles.deploy(cluster, "1.0.0", "2.0.0", "3.0.0");

      ScoreLoad load = GameLoad.start(cluster, 12, 2, 4);
      // Every room is born on 1.0.0, so that each gets its zone from 2.0.0's up-migration.
      cluster.await("every room scored on 1.0.0", () -> load.roomsScored() == 12);

      JsonNode up2 = cluster.rollout(1, "{\"target\": \"2.0.0\", \"batchSize\": 1}");
      assertEquals("completed", up2.path("phase").asText(), up2.toString());
      JsonNode room = query(cluster, 0);
      assertEquals(2, room.path("version").asInt(), room.toString());
      assertEquals("eu-west", room.path("zone").asText(), "2.0.0's up-migration set the zone from extra");

      GameLoad.flowing(cluster, load, "scores flowing on 2.0.0");
      JsonNode up3 = cluster.rollout(2, "{\"target\": \"3.0.0\", \"batchSize\": 1, \"mode\": \"pipelined\"}");
      assertEquals("completed", up3.path("phase").asText(), up3.toString());
      assertEquals(3, query(cluster, 1).path("version").asInt());
      // A room born on 3.0.0 starts "unzoned"; 1.0.0 cannot keep a zone, so 2.0.0 declares the room's
      // migrations lossy, and the downgrade's round-trip check must not refuse it.
      var born = cluster.app(1, "POST", "/rooms/late/scores", "{\"player\": \"bo\", \"seq\": 1, \"points\": 7}");
      assertEquals(200, born.status(), born.toString());
      assertEquals("unzoned", cluster.app(2, "GET", "/rooms/late", null).body().path("zone").asText());

      GameLoad.flowing(cluster, load, "scores flowing on 3.0.0");
      JsonNode down = cluster.rollout(0, "{\"target\": \"1.0.0\", \"batchSize\": \"100%\"}");
      assertEquals("completed", down.path("phase").asText(), down.toString());
      JsonNode back = query(cluster, 2);
      assertEquals(1, back.path("version").asInt());
      assertTrue(back.path("zone").isMissingNode(), "the down-migration dropped the zone: " + back);
      JsonNode late = cluster.app(0, "GET", "/rooms/late", null).body();
      assertEquals(1, late.path("version").asInt(), late.toString());
      assertEquals(7, late.path("players").path("bo").path("points").asLong(), late.toString());

      GameLoad.flowing(cluster, load, "scores flowing on 1.0.0 again");
      ScoreLoad.Result result = GameLoad.stopAndVerify(load, "game story");
      assertTrue(result.acked() > 200, result.toString());

      JsonNode members = cluster.get(0, "/molt/cluster").path("members");
      for (JsonNode member : members) {
        assertEquals("game-1.0.0", member.path("running").asText(), member.toString());
        assertEquals("game-1.0.0", member.path("permanent").asText(), member.toString());
      }
    }
  }

  private static JsonNode query(LocalCluster cluster, int room) {
    var reply = cluster.app(room % 3, "GET", "/rooms/room-" + room, null);
    assertEquals(200, reply.status(), reply.toString());
    return reply.body();
  }
}
