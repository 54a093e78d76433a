package dev.molt.orchestrator.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code MOLT_AKKA_LICENSE_KEY} reaches {@code akka.license-key} in the configuration a node starts
 * its ActorSystem with. Each case is a child JVM with that environment that prints the resolved
 * value: no ActorSystem is started, since Akka refuses to start with a key that is not a real one.
 */
class LicenceKeyConfigTest {
  @TempDir Path work;

  /** Prints the key as the node would resolve it; the child JVM of each case. */
  public static void main(String[] args) {
    System.out.print("akka.license-key=[" + NodeConfig.load().getString("akka.license-key") + "]");
  }

  @Test
  void theEnvironmentVariableBecomesTheKey() throws Exception {
    assertEquals("akka.license-key=[not-a-real-key-1234]", resolve(Map.of("MOLT_AKKA_LICENSE_KEY", "not-a-real-key-1234")));
  }

  @Test
  void theEnvironmentVariableBecomesTheKeyWithAnExtraConfigFileToo() throws Exception {
    Path extra = Files.writeString(work.resolve("cluster.conf"), "molt.node.cluster-bootstrap = on\n");
    assertEquals("akka.license-key=[not-a-real-key-5678]",
        resolve(Map.of("MOLT_AKKA_LICENSE_KEY", "not-a-real-key-5678", "MOLT_CONFIG", extra.toString())));
  }

  @Test
  void withoutTheVariableTheKeyIsEmpty() throws Exception {
    assertEquals("akka.license-key=[]", resolve(Map.of()));
  }

  private String resolve(Map<String, String> environment) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), LicenceKeyConfigTest.class.getName()));
    builder.environment().remove("MOLT_AKKA_LICENSE_KEY");
    builder.environment().remove("MOLT_CONFIG");
    builder.environment().putAll(environment);
    Process process = builder.redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError("the child JVM failed: " + output);
    }
    return output;
  }
}
