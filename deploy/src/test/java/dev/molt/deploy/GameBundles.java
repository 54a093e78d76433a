package dev.molt.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.molt.orchestrator.cluster.LocalCluster;
import java.io.IOException;
import java.nio.file.Path;

/** The sample game's bundles, as the examples modules build them. */
final class GameBundles {
  private GameBundles() {}

  static Path of(String version) {
    return Path.of(System.getProperty("molt.examples", "../examples"), "game-" + version, "target", "game-" + version + ".molt");
  }

  /** Uploads the game's {@code versions} through node 1 and rolls the first one out on every node. */
  static void deploy(LocalCluster cluster, String... versions) throws IOException {
    for (String version : versions) {
      var uploaded = cluster.upload(0, of(version));
      assertEquals(201, uploaded.status(), "upload of game " + version + ": " + uploaded);
    }
    assertEquals("completed", cluster.rollout(0, "{\"target\": \"" + versions[0] + "\"}").path("phase").asText());
  }
}
