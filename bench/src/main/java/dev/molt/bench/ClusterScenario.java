package dev.molt.bench;

import dev.molt.deploy.load.ScoreLoad;
import dev.molt.orchestrator.cluster.LocalCluster;
import dev.molt.orchestrator.cluster.NodeProcess;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Scenario 4, cluster: three node JVMs with the game under load, moved from 1.0.0 to 2.0.0 node
 * by node, once as a hot rolling upgrade (Molt) and once as a rolling restart (stop a JVM, start it
 * with an empty store and the new release, wait until it serves). Measured from the load client:
 * each room's longest time without an acknowledged score, and acknowledged scores lost. The
 * {@code baseline} variant is the same window with no upgrade: what the machine alone costs.
 */
final class ClusterScenario {
  private ClusterScenario() {}

  /** A window of this length with no upgrade gives the floor of the gaps the load client sees. */
  private static final long BASELINE_WINDOW_MILLIS = 2000;

  static void run(Path examples, Path work, int reps, Results results) throws Exception {
    for (int rep = 0; rep < reps; rep++) {
      for (String variant : new String[] {"baseline", "hot", "restart"}) {
        measure(variant, examples, work.resolve(variant + "-" + rep), results);
      }
    }
  }

  private static void measure(String variant, Path examples, Path work, Results results) throws Exception {
    Files.createDirectories(work);
    LocalCluster allocated = LocalCluster.allocate(work, 3);
    List<String> seeds = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      seeds.add("-Dakka.cluster.seed-nodes." + i + "=akka://molt@127.0.0.1:" + allocated.node(i).remotePort);
    }
    List<String> options = new ArrayList<>(seeds);
    options.add("-Dmolt.orchestrator.reconcile=off");
    try (LocalCluster cluster = allocated.startAll(node -> options)) {
      check(cluster.upload(0, bundle(examples, "1.0.0")).status() == 201, "upload 1.0.0");
      check(cluster.upload(0, bundle(examples, "2.0.0")).status() == 201, "upload 2.0.0");
      check("completed".equals(cluster.rollout(0, "{\"target\": \"1.0.0\"}").path("phase").asText()), "rollout 1.0.0");
      List<URI> nodes = cluster.nodes.stream().map(n -> URI.create("http://127.0.0.1:" + n.appPort)).toList();
      ScoreLoad load = new ScoreLoad(nodes, 12, 2, 6, ScoreLoad.Spread.ALL_NODES);
      load.start();
      cluster.await("scores flowing", () -> load.acked() > 300);
      load.startWindow();
      long started = System.nanoTime();
      if (variant.equals("baseline")) {
        Thread.sleep(BASELINE_WINDOW_MILLIS);
      } else if (variant.equals("hot")) {
        JsonNode rollout = cluster.rollout(1, "{\"target\": \"2.0.0\", \"batchSize\": 1, \"mode\": \"pipelined\"}");
        check("completed".equals(rollout.path("phase").asText()), "hot rollout: " + rollout);
      } else {
        for (int i = 0; i < 3; i++) {
          restartOnNewRelease(cluster, i, options, bundle(examples, "2.0.0"));
        }
      }
      long took = System.nanoTime() - started;
      cluster.await("scores flowing after", () -> true);
      Thread.sleep(2000);
      List<Long> gaps = load.endWindow();
      ScoreLoad.Result result = load.stopAndVerify();
      long[] sorted = Results.sorted(gaps);
      results.add("cluster", variant, 3, "rollout_total_us", took / 1000);
      results.add("cluster", variant, 3, "entity_unavail_max_us", sorted[sorted.length - 1]);
      results.add("cluster", variant, 3, "entity_unavail_p99_us", Results.percentile(sorted, 0.99));
      results.add("cluster", variant, 3, "state_lost", result.lost());
      results.add("cluster", variant, 3, "acked", result.acked());
      System.out.printf("cluster %s: %s%n", variant, result);
    }
  }

  /** Stops node i, empties its store, starts it with the new release only, waits until it serves. */
  private static void restartOnNewRelease(LocalCluster cluster, int i, List<String> options, Path bundle) throws Exception {
    NodeProcess node = cluster.node(i);
    node.stopGracefully();
    try (Stream<Path> files = Files.walk(node.store)) {
      files.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(node.store)).forEach(p -> p.toFile().delete());
    }
    node.start(cluster.node((i + 1) % 3).remotePort, options, List.of(bundle.toString()));
    int via = (i + 1) % 3;
    cluster.await("node " + i + " back on 2.0.0", () -> {
      JsonNode view = cluster.get(via, "/molt/cluster");
      for (JsonNode member : view.path("members")) {
        if (member.path("node").asText().equals(node.name())) {
          return "game-2.0.0".equals(member.path("running").asText()) && member.path("ready").asBoolean();
        }
      }
      return false;
    });
  }

  private static Path bundle(Path examples, String version) {
    return examples.resolve("game-" + version).resolve("target").resolve("game-" + version + ".molt");
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("cluster scenario: " + what + " failed");
    }
  }
}
