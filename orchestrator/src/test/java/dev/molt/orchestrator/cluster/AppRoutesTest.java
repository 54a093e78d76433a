package dev.molt.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * One node JVM: the application port serves the current release's own routes (the sample game's),
 * answers 503 while no release runs and a JSON error for every bad request, and swaps the routes
 * with the release (2.0.0's rooms answer with their zone, 1.0.0's again without).
 */
class AppRoutesTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path work;

  @Test
  void servesTheCurrentReleasesRoutesAndSwapsThemWithIt() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(work, 1, List.of())) {
      var none = cluster.app(0, "GET", "/rooms/r1", null);
      assertEquals(503, none.status(), none.toString());
      assertEquals("no application routes", none.body().path("error").asText(), none.toString());
      assertTrue(none.body().path("detail").asText().contains("no release"), none.toString());

      for (String version : List.of("1.0.0", "2.0.0")) {
        assertEquals(201, cluster.upload(0, game(version)).status());
      }
      assertEquals("completed", cluster.rollout(0, "{\"target\": \"1.0.0\"}").path("phase").asText());
      cluster.await("the game's routes served", () -> cluster.app(0, "GET", "/rooms/r1", null).status() == 200);

      var joined = cluster.app(0, "POST", "/rooms/r1/join", "{\"player\": \"ann\"}");
      assertEquals(200, joined.status(), joined.toString());
      assertEquals(1, joined.body().path("players").asInt(), joined.toString());
      var scored = cluster.app(0, "POST", "/rooms/r1/scores", "{\"player\": \"ann\", \"seq\": 1, \"points\": 7}");
      assertEquals(200, scored.status(), scored.toString());
      assertEquals(7, scored.body().path("points").asLong(), scored.toString());
      var again = cluster.app(0, "POST", "/rooms/r1/scores", "{\"player\": \"ann\", \"seq\": 1, \"points\": 7}");
      assertTrue(again.body().path("duplicate").asBoolean(), "a resent score counts once: " + again);
      JsonNode v1 = cluster.app(0, "GET", "/rooms/r1", null).body();
      assertEquals(1, v1.path("version").asInt(), v1.toString());
      assertEquals("r1", v1.path("room").asText(), v1.toString());
      assertEquals(7, v1.path("players").path("ann").path("points").asLong(), v1.toString());
      assertTrue(v1.path("zone").isMissingNode(), v1.toString());

      assertBadRequest(cluster.app(0, "POST", "/rooms/r1/scores", "{\"player\": \"ann\", \"seq\": "), "not JSON");
      assertBadRequest(cluster.app(0, "POST", "/rooms/r1/scores", "[1]"), "must be a JSON object");
      assertBadRequest(cluster.app(0, "POST", "/rooms/r1/scores", "{\"player\": \"ann\", \"points\": 1}"), "field 'seq'");
      assertBadRequest(cluster.app(0, "POST", "/rooms/r1/join", "{}"), "field 'player'");
      assertBadRequest(cluster.app(0, "POST", "/rooms/r1/scores", "{\"player\": \"ann\", \"seq\": \"two\", \"points\": 1}"),
          "field 'seq' must be an integer, was \"two\"");
      assertBadRequest(cluster.app(0, "GET", "/rooms/" + "x".repeat(65), null), "room id");
      String deep = "{\"player\": " + "[".repeat(40) + "]".repeat(40) + "}";
      assertBadRequest(cluster.app(0, "POST", "/rooms/r1/join", deep), "molt.app.max-json-depth");
      assertBadRequest(cluster.app(0, "POST", "/rooms/r1/scores", "{\"player\": \"ann\", \"seq\": 2, \"points\": 1} "
          + "{\"player\": \"ann\", \"seq\": 3, \"points\": 1}"), "the body must be one JSON object; found more after it");
      assertBadRequest(cluster.app(0, "POST", "/rooms/r1/scores", "{\"player\": \"ann\", \"seq\": 2, \"points\": 1, "
          + "\"points\": 900}"), "the body names field 'points' twice in one object");
      assertBadRequest(cluster.app(0, "POST", "/rooms/r1/scores", "{\"player\": \"ann\", \"seq\": 2, \"points\": "
          + "9".repeat(50_000) + "}"), "the body has a number of 50000 characters");
      var unknown = cluster.app(0, "GET", "/nowhere", null);
      assertEquals(404, unknown.status(), unknown.toString());
      assertTrue(unknown.body().has("error"), "a JSON error, not Akka's text: " + unknown);
      var method = cluster.app(0, "DELETE", "/rooms/r1", null);
      assertEquals(405, method.status(), method.toString());
      assertTrue(method.body().has("error"), method.toString());
      JsonNode unchanged = cluster.app(0, "GET", "/rooms/r1", null).body();
      assertEquals(v1, unchanged, "bad requests changed nothing");

      assertEquals("completed", cluster.rollout(0, "{\"target\": \"2.0.0\"}").path("phase").asText());
      JsonNode v2 = cluster.app(0, "GET", "/rooms/r1", null).body();
      assertEquals(2, v2.path("version").asInt(), v2.toString());
      assertEquals("eu-west", v2.path("zone").asText(), "2.0.0's up-migration set the zone: " + v2);
      assertEquals(7, v2.path("players").path("ann").path("points").asLong(), v2.toString());

      assertEquals("completed", cluster.rollout(0, "{\"target\": \"1.0.0\"}").path("phase").asText());
      JsonNode back = cluster.app(0, "GET", "/rooms/r1", null).body();
      assertEquals(1, back.path("version").asInt(), back.toString());
      assertTrue(back.path("zone").isMissingNode(), "dropped going down: " + back);
      assertEquals(7, back.path("players").path("ann").path("points").asLong(), back.toString());

      String log = cluster.node(0).logText();
      assertTrue(log.contains("application routes: routes of game-2.0.0 (was routes of game-1.0.0)"), "the swap is logged");
      assertFalse(log.contains("Exception") && log.contains("at dev.molt.examples"), "no release stack trace in the log");
    }
  }

  private static void assertBadRequest(LocalCluster.Response response, String naming) {
    assertEquals(400, response.status(), response.toString());
    assertTrue(response.body() != null && response.body().path("detail").asText().contains(naming),
        "names what was wrong (" + naming + "): " + response);
    assertFalse(response.text().contains("\tat ") || response.text().contains("[Source:") || response.text().contains("`"),
        "no stack trace, no excerpt, no Java type in Jackson's backticks: " + response);
  }

  static Path game(String version) {
    return Path.of(System.getProperty("molt.examples", "../examples"), "game-" + version, "target", "game-" + version + ".molt");
  }
}
