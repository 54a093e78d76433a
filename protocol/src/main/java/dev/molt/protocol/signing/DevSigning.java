package dev.molt.protocol.signing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.stream.Stream;

/**
 * A build's development key: made on first use under the build's {@code target/}, never committed,
 * so a fresh clone builds signed bundles and its local nodes trust them. {@code main(keyDir, folder)}
 * signs every {@code .molt} directly in {@code folder} in place (the node module's test bundles).
 */
public final class DevSigning {
  private DevSigning() {}

  /** The pair in {@code dir}, generated there first if it has none. */
  public static KeyPair keyIn(Path dir) throws IOException {
    Path privateKey = dir.resolve(SigningKeys.PRIVATE_KEY_FILE);
    if (!Files.exists(privateKey)) {
      try {
        return SigningKeys.writeNew(dir);
      } catch (IOException e) {
        if (!Files.exists(privateKey)) {
          throw e;
        }
        // Another build step made it meanwhile: use theirs.
      }
    }
    return SigningKeys.readPrivate(privateKey);
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: DevSigning KEY_DIR BUNDLE_FOLDER");
    }
    KeyPair key = keyIn(Path.of(args[0]));
    List<Path> bundles;
    try (Stream<Path> files = Files.list(Path.of(args[1]))) {
      bundles = files.filter(f -> f.getFileName().toString().endsWith(".molt")).sorted().toList();
    }
    for (Path bundle : bundles) {
      SignedBundle.sign(bundle, key, bundle);
    }
    System.out.println("signed " + bundles.size() + " bundles in " + args[1] + " with development key "
        + SigningKeys.keyId(key.getPublic()) + " (" + Path.of(args[0]).resolve(SigningKeys.PUBLIC_KEY_FILE) + ")");
  }
}
