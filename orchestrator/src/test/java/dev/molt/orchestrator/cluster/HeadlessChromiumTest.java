package dev.molt.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without chromium the browser test fails, saying how to install it; it never skips. */
class HeadlessChromiumTest {
  @TempDir Path work;

  @Test
  void aMissingChromiumFailsNamingTheInstall() {
    Path absent = work.resolve("no-chromium");
    AssertionError failure = assertThrows(AssertionError.class,
        () -> new HeadlessChromium(work.resolve("profile"), absent, HeadlessChromium.CHROMEDRIVER));
    assertEquals(absent + " is missing: this test needs a real chromium; install it with "
        + "'apt-get install -y chromium chromium-driver' (.ci/run does when it is absent), "
        + "or point -Dmolt.test.chromium / -Dmolt.test.chromedriver at one", failure.getMessage());
  }
}
