package dev.molt.node.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The bundles the Maven build made from {@code src/test/bundles} (see node/pom.xml). */
public final class TestBundles {
  private TestBundles() {}

  public static Path folder() {
    Path folder = Path.of(System.getProperty("molt.test.bundles", "target/test-bundles"));
    if (!Files.isDirectory(folder)) {
      throw new IllegalStateException("no test bundles at " + folder.toAbsolutePath()
          + ": run the tests through Maven (mvn verify), which builds them");
    }
    return folder;
  }

  public static Path counter(String version) {
    return bundle("counter", version);
  }

  public static Path bundle(String name, String version) {
    Path bundle = folder().resolve(name + "-" + version + ".molt");
    if (!Files.isRegularFile(bundle)) {
      throw new IllegalStateException("missing test bundle " + bundle.toAbsolutePath());
    }
    return bundle;
  }

  /** The compiled jar of a counter version, as it sits inside its bundle. */
  public static Path counterJar(String version) {
    return folder().resolve("work/counter-" + version + "/bundle/lib/counter-" + version + ".jar");
  }
}
