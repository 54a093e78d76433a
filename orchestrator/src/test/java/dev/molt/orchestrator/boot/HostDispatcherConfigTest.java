package dev.molt.orchestrator.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose {@code molt.host.dispatcher} names no dispatcher does not start: {@code molt-node}
 * (MoltMain, in a child JVM with {@code MOLT_HOST_DISPATCHER}) prints one line naming the setting
 * and exits 2, before any ActorSystem.
 */
class HostDispatcherConfigTest {
  @TempDir Path work;

  @Test
  void aNodeWhoseHostDispatcherIsNoDispatcherExitsNamingIt() throws Exception {
    ProcessBuilder builder = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), MoltMain.class.getName()));
    builder.environment().remove("MOLT_CONFIG");
    builder.environment().put("MOLT_HOST_DISPATCHER", "app.no-such-dispatcher");
    builder.environment().put("MOLT_STORE_DIR", work.resolve("store").toString());
    Process process = builder.redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the node did not exit: " + output);
    assertEquals(2, process.exitValue(), output);
    assertTrue(output.contains("node configuration refused: molt.host.dispatcher = 'app.no-such-dispatcher' names "
        + "no configured dispatcher (no section 'app.no-such-dispatcher' with a type or an executor)"), output);
    assertTrue(!output.contains("Exception") && !output.contains("ActorSystem"), "one line, no system: " + output);
  }
}
