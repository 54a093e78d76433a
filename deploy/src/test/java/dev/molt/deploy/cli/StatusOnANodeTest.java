package dev.molt.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.molt.orchestrator.cluster.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * moltctl against real nodes (two JVMs, the counter test bundles, credentials from a config file):
 * upload, a canary rollout that {@code status --watch} follows on the event stream from its pause
 * through {@code promote} to completed (exit 0, each event's line and the final view in its
 * output), then one whose migration fails on the first node ({@code molt.test.fail-migration}) and
 * is rolled back ({@code status --timeout} exits 4, the view naming the failure), and {@code state}
 * reads the counter back on 1.0.0.
 */
class StatusOnANodeTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path work;

  @Test
  void statusExitCodesForACompletedAndARolledBackRollout() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(work, 2, List.of(List.of("-Dmolt.test.fail-migration=true")))) {
      Path config = Files.writeString(work.resolve("moltctl.properties"),
          "url=http://127.0.0.1:" + cluster.node(0).httpPort + "\nuser=admin\npassword=" + LocalCluster.PASSWORD + "\n");
      Map<String, String> env = Map.of("HOME", work.toString());
      String[] withConfig = {"--config", config.toString()};

      for (String version : List.of("1.0.0", "2.0.0")) {
        Recorded.Run upload = run(env, withConfig, "upload", LocalCluster.testBundle("counter", version).toString());
        assertEquals(0, upload.exit(), upload.toString());
        assertTrue(upload.out().startsWith("uploaded counter-" + version + " sha256="), upload.out());
      }

      Recorded.Run started = run(env, withConfig, "rollout", "counter-1.0.0", "--canary");
      assertEquals(0, started.exit(), started.toString());
      String canary = started.out().split(" ")[1];
      cluster.await("the canary paused", () -> run(env, withConfig, "status", canary).out().contains("  paused  1/2 batches done"));
      CompletableFuture<Recorded.Run> watch = CompletableFuture.supplyAsync(() -> run(env, withConfig, "status", canary, "--watch",
          "--timeout", "3m"));
      cluster.await("the watch showing the pause", () -> WATCHED.toString().contains("  paused  1/2 batches done"));
      // The view is read before the stream opens; the events of the promote are seen once the node attached the watch.
      cluster.await("the watch's event stream attached", () -> cluster.node(0).countLog("events: a client attached") > 0);
      Recorded.Run promoted = run(env, withConfig, "promote");
      assertEquals(0, promoted.exit(), promoted.toString());
      Recorded.Run watched = watch.get(3, TimeUnit.MINUTES);
      assertEquals(0, watched.exit(), watched.toString());
      String out = watched.out().replaceAll("last event \\d+-\\d+:", "last event N:").replaceAll("took=[0-9.]+m?s", "took=Nms")
          .replaceAll("pause.max=[0-9.]+ms", "pause.max=Nms").replaceAll(" in [0-9.]+m?s\\b", " in Ns").replaceAll("actors=\\d+", "actors=N");
      // The first event after the promote is always shown; a later one may not be when the state read on an event has
      // already ended (the exit follows the state; RolloutWatchTest shows every event's line on a recorded stream).
      for (String line : List.of("last event N: phase rolling (from paused), batch 2/2", "[####################] 2/2 nodes done")) {
        assertTrue(out.lines().anyMatch(line::equals), "'" + line + "' in:\n" + watched.out());
      }
      assertTrue(out.contains("counter-1.0.0  completed  2/2 batches done"), watched.out());
      assertEquals("", watched.err(), "no reconnect, no polling");
      Recorded.Run completed = run(env, withConfig, "status", "--timeout", "3m");
      assertEquals(0, completed.exit(), completed.toString());
      assertTrue(completed.out().contains("counter-1.0.0  completed  2/2 batches done"), completed.out());

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

  /** What the running {@code status --watch} printed so far. */
  private static final StringWriter WATCHED = new StringWriter();

  private static Recorded.Run run(Map<String, String> env, String[] options, String... args) {
    String[] all = new String[options.length + args.length];
    System.arraycopy(options, 0, all, 0, options.length);
    System.arraycopy(args, 0, all, options.length, args.length);
    return List.of(args).contains("--watch") ? Recorded.moltctl(env, false, WATCHED, all) : Recorded.moltctl(env, false, all);
  }
}
