package dev.molt.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.deploy.load.ScoreLoad;
import dev.molt.orchestrator.cluster.LocalCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Game 3.0.0's leaderboard is one sharded entity fed across nodes, on three node JVMs: scores posted
 * through all three nodes' application ports to rooms living on different nodes meet in one
 * leaderboard, read alike through every node, exactly (each entry is the player's total in the
 * room; the points equal those acknowledged on 3.0.0 plus what a returning player had before; every
 * update applied once). Then the rollout down to 1.0.0, under load, drops the type: it completes,
 * no acknowledged score is lost in the rooms, and nothing answers for the leaderboard any more.
 */
class LeaderboardTest {
  private static final int ROOMS = 6;
  private static final List<String> PLAYERS = List.of("ann", "bob");
  private static final int SCORES = 12;
  /** What the returning player scored on 1.0.0, before the leaderboard existed. */
  private static final long EARLY = 5;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path work;

  @Test
  void roomsOfEveryNodeFeedOneLeaderboardExactlyAndTheWayDownDropsIt() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(work, 3, List.of())) {
      GameBundles.deploy(cluster, "1.0.0", "2.0.0", "3.0.0");
      assertEquals(EARLY, score(cluster, 0, "early", "ann", 1, EARLY).path("points").asLong());

      JsonNode up = cluster.rollout(1, "{\"target\": \"3.0.0\", \"batchSize\": 1}");
      assertEquals("completed", up.path("phase").asText(), up.toString());
      for (int n = 0; n < 3; n++) {
        int node = n;
        // A node swaps its routes once 3.0.0 is current there, off the install's path.
        cluster.await("3.0.0's routes on node " + n, () -> cluster.app(node, "GET", "/leaderboard", null).status() == 200);
      }

      // Every room's scores through every node in turn, the rooms in parallel.
      Map<String, Long> totals = new ConcurrentHashMap<>();
      AtomicLong ackedPoints = new AtomicLong();
      AtomicLong ackedScores = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(ROOMS);
      try {
        List<Future<?>> rooms = new ArrayList<>();
        for (int r = 0; r < ROOMS; r++) {
          int room = r;
          rooms.add(pool.submit(() -> {
            for (int seq = 1; seq <= SCORES; seq++) {
              for (int p = 0; p < PLAYERS.size(); p++) {
                long points = (room * 7L + seq * 3L + p) % 10 + 1;
                JsonNode acked = score(cluster, (room + seq + p) % 3, "board-" + room, PLAYERS.get(p), seq, points);
                assertFalse(acked.path("duplicate").asBoolean(), acked.toString());
                totals.put("board-" + room + "/" + PLAYERS.get(p), acked.path("points").asLong());
                ackedPoints.addAndGet(points);
                ackedScores.incrementAndGet();
              }
            }
            return null;
          }));
        }
        for (Future<?> room : rooms) {
          room.get();
        }
      } finally {
        pool.shutdownNow();
      }
      // The returning player: the leaderboard gets her total in the room, what she scored on 1.0.0 too.
      JsonNode back = score(cluster, 2, "early", "ann", 2, 3);
      assertEquals(EARLY + 3, back.path("points").asLong(), "the room kept her 1.0.0 score through 1.0.0 -> 3.0.0: " + back);
      totals.put("early/ann", back.path("points").asLong());
      ackedPoints.addAndGet(3);
      ackedScores.incrementAndGet();
      // A client's resend of an acknowledged score: counted once by the room, so nothing goes to the leaderboard.
      assertTrue(score(cluster, 1, "board-0", "ann", 1, 9).path("duplicate").asBoolean());

      long expectedPoints = totals.values().stream().mapToLong(Long::longValue).sum();
      assertEquals(ackedPoints.get() + EARLY, expectedPoints, "the rooms' totals are the acknowledged points: " + totals);
      // tellEntity is asynchronous: the last updates may still be on their way when the last ack came.
      cluster.await("the leaderboard to hold " + expectedPoints + " points",
          () -> leaderboard(cluster, 0).path("points").asLong() == expectedPoints);
      JsonNode board = leaderboard(cluster, 0);
      for (int n = 1; n < 3; n++) {
        assertEquals(board, leaderboard(cluster, n), "one leaderboard cluster-wide, read through node " + n);
      }
      assertEquals(1, board.path("version").asInt(), board.toString());
      assertEquals(totals.size(), board.path("entries").asInt(), board.toString());
      assertEquals(expectedPoints, board.path("points").asLong(), board.toString());
      assertEquals(ackedScores.get(), board.path("updates").asLong(), "each acknowledged score updated it once: " + board);
      assertEquals(0, board.path("stale").asLong(), board.toString());
      assertEquals(0, board.path("evicted").asLong(), board.toString());
      assertEquals(topTen(totals), standings(board), board.toString());
      assertRoomsOnEveryNode(cluster);

      // Down to 1.0.0 under load: mid-way, rooms still on 3.0.0 report to a leaderboard whose node dropped the type.
      ScoreLoad load = GameLoad.start(cluster, ROOMS, 2, 3);
      cluster.await("every load room scored on 3.0.0", () -> load.roomsScored() == ROOMS);
      String dropped = "release game-2.0.0 declares no entity type [leaderboard]";
      JsonNode down = cluster.rollout(2, "{\"target\": \"1.0.0\", \"batchSize\": 1}");
      assertEquals("completed", down.path("phase").asText(), down.toString());
      GameLoad.flowing(cluster, load, "scores flowing on 1.0.0");
      GameLoad.stopAndVerify(load, "leaderboard, way down");

      for (int n = 0; n < 3; n++) {
        assertEquals(1, cluster.nodes.get(n).countLog(dropped), "node " + n + " dropped the type going 3.0.0 -> 2.0.0");
        var gone = cluster.app(n, "GET", "/leaderboard", null);
        assertEquals(404, gone.status(), "1.0.0's API has no leaderboard, node " + n + ": " + gone);
        var unknown = cluster.getAdmin(n, "/molt/actors/leaderboard/global/state");
        assertEquals(404, unknown.status(), "node " + n + ": " + unknown);
        assertTrue(unknown.text().contains("leaderboard"), unknown.toString());
      }
      int reader = 0;
      for (Map.Entry<String, Long> entry : totals.entrySet()) {
        String[] roomAndPlayer = entry.getKey().split("/");
        JsonNode room = cluster.app(reader++ % 3, "GET", "/rooms/" + roomAndPlayer[0], null).body();
        assertEquals(1, room.path("version").asInt(), room.toString());
        assertEquals(entry.getValue(), room.path("players").path(roomAndPlayer[1]).path("points").asLong(),
            "no acknowledged score lost going down: " + entry.getKey() + " " + room);
      }
      for (JsonNode member : cluster.get(0, "/molt/cluster").path("members")) {
        assertEquals("game-1.0.0", member.path("running").asText(), member.toString());
        assertEquals("game-1.0.0", member.path("permanent").asText(), member.toString());
      }
    }
  }

  /** Posts a score through node {@code node}'s application port; the room's acknowledgement. */
  private static JsonNode score(LocalCluster cluster, int node, String room, String player, long seq, long points) {
    var reply = cluster.app(node, "POST", "/rooms/" + room + "/scores",
        "{\"player\": \"" + player + "\", \"seq\": " + seq + ", \"points\": " + points + "}");
    assertEquals(200, reply.status(), room + "/" + player + " seq " + seq + " through node " + node + ": " + reply);
    return reply.body();
  }

  private static JsonNode leaderboard(LocalCluster cluster, int node) {
    var reply = cluster.app(node, "GET", "/leaderboard", null);
    assertEquals(200, reply.status(), "node " + node + ": " + reply);
    return reply.body();
  }

  /** The ten best of {@code totals} as the leaderboard orders them: points, then room/player. */
  private static List<String> topTen(Map<String, Long> totals) {
    return totals.entrySet().stream()
        .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(e -> -e.getValue()).thenComparing(Map.Entry::getKey))
        .limit(10)
        .map(e -> e.getKey() + "=" + e.getValue())
        .toList();
  }

  private static List<String> standings(JsonNode board) {
    List<String> top = new ArrayList<>();
    board.path("top").forEach(s -> top.add(s.path("room").asText() + "/" + s.path("player").asText() + "="
        + s.path("points").asLong()));
    return top;
  }

  /**
   * Rooms live on every node: each node hosts at least two actors, and there are just the rooms and
   * one leaderboard, so no node hosts only the leaderboard.
   */
  private static void assertRoomsOnEveryNode(LocalCluster cluster) {
    JsonNode members = cluster.get(0, "/molt/cluster").path("members");
    long actors = 0;
    for (JsonNode member : members) {
      assertTrue(member.path("actors").asInt() >= 2, "rooms on every node: " + members);
      actors += member.path("actors").asInt();
    }
    assertEquals(ROOMS + 2, actors, "the rooms, 'early' and the leaderboard: " + members);
  }
}
