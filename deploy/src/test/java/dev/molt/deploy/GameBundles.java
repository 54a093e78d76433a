package dev.molt.deploy;

import java.nio.file.Path;

/** The sample game's bundles, as the examples modules build them. */
final class GameBundles {
  private GameBundles() {}

  static Path of(String version) {
    return Path.of(System.getProperty("molt.examples", "../examples"), "game-" + version, "target", "game-" + version + ".molt");
  }
}
