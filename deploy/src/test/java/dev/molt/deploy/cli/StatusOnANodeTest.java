package dev.molt.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.molt.orchestrator.cluster.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * moltctl against a real node (one JVM, the counter test bundles, credentials from a config file):
 * upload, a rollout that completes ({@code status --timeout} exits 0), then one whose migration
 * fails on the node ({@code molt.test.fail-migration}) and is rolled back ({@code status --timeout}
 * exits 4, the view naming the failure), and {@code state} reads the counter back on 1.0.0.
 */
class StatusOnANodeTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path work;

  @Test
  void statusExitCodesForACompletedAndARolledBackRollout() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(work, 1, List.of(List.of("-Dmolt.test.fail-migration=true")))) {
      Path config = Files.writeString(work.resolve("moltctl.properties"),
          "url=http://127.0.0.1:" + cluster.node(0).httpPort + "\nuser=admin\npassword=" + LocalCluster.PASSWORD + "\n");
      Map<String, String> env = Map.of("HOME", work.toString());
      String[] withConfig = {"--config", config.toString()};

      for (String version : List.of("1.0.0", "2.0.0")) {
        Recorded.Run upload = run(env, withConfig, "upload", LocalCluster.testBundle("counter", version).toString());
        assertEquals(0, upload.exit(), upload.toString());
        assertTrue(upload.out().startsWith("uploaded counter-" + version + " sha256="), upload.out());
      }

      Recorded.Run started = run(env, withConfig, "rollout", "counter-1.0.0");
      assertEquals(0, started.exit(), started.toString());
      Recorded.Run completed = run(env, withConfig, "status", "--timeout", "3m");
      assertEquals(0, completed.exit(), completed.toString());
      assertTrue(completed.out().contains("counter-1.0.0  completed  1/1 batches done"), completed.out());
      assertTrue(completed.out().contains("[####################] 1/1 nodes done"), completed.out());

      // A counter with state, so that 2.0.0's migration runs, and fails on this node.
      cluster.increment(0, "k0", 1);
      cluster.await("counter k0 at 1", () -> cluster.counter(0, "k0").path("count").asLong() == 1);
      started = run(env, withConfig, "rollout", "counter-2.0.0");
      assertEquals(0, started.exit(), started.toString());
      String id = started.out().split(" ")[1];
      Recorded.Run rolledBack = run(env, withConfig, "status", id, "--timeout", "3m");
      assertEquals(4, rolledBack.exit(), rolledBack.toString());
      assertTrue(rolledBack.out().contains("counter-2.0.0  rolled-back"), rolledBack.out());
      assertTrue(rolledBack.out().contains("install failed  actors="), rolledBack.out());
      assertTrue(rolledBack.out().contains("migration refused: molt.test.fail-migration is set on this node"), rolledBack.out());

      Recorded.Run state = run(env, withConfig, "state", "counters/k0");
      assertEquals(0, state.exit(), state.toString());
      assertTrue(state.out().contains("\"release\" : \"counter-1.0.0\""), state.out());
      assertTrue(state.out().contains("\"count\" : 1"), state.out());
    }
  }

  private static Recorded.Run run(Map<String, String> env, String[] options, String... args) {
    String[] all = new String[options.length + args.length];
    System.arraycopy(options, 0, all, 0, options.length);
    System.arraycopy(args, 0, all, options.length, args.length);
    return Recorded.moltctl(env, false, all);
  }
}
