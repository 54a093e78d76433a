package dev.molt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.deploy.load.ScoreLoad;
import dev.molt.orchestrator.cluster.LocalCluster;
import dev.molt.orchestrator.cluster.NodeProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario soak: three node JVMs with the game under the load client, a rollout every minute
 * cycling 1.0.0 → 2.0.0 → 3.0.0 → 1.0.0, for {@code minutes} minutes. It passes when no
 * acknowledged score is lost, every rollout completed, and each node's heap after a full GC,
 * metaspace, loaded classes and live threads at the end are within 5% of what they were after the
 * first full cycle (measured at minute 3, before the fourth rollout; the end is a minute after the
 * last rollout started, the same point of a minute).
 */
final class SoakScenario {
  private SoakScenario() {}

  /** Targets in order; the cluster starts on 1.0.0, so three rollouts are one full cycle. */
  private static final List<String> CYCLE = List.of("2.0.0", "3.0.0", "1.0.0");
  private static final long MINUTE_NANOS = 60_000_000_000L;
  private static final double BOUND_PERCENT = 5.0;
  /** Akka 2.8 without akka.license-key ends each node JVM 15 minutes after it started. */
  private static final int KEYLESS_MAX_MINUTES = 13;

  /** Runs the soak and records it; true when every pass criterion held. */
  static boolean run(Path examples, Path work, int minutes, Results results) throws Exception {
    if (minutes < CYCLE.size() + 1) {
      throw new IllegalArgumentException("soak: --minutes must be at least " + (CYCLE.size() + 1)
          + " (one full cycle of " + CYCLE.size() + " rollouts, one a minute, and the minute after it), was " + minutes);
    }
    String key = System.getenv("MOLT_AKKA_LICENSE_KEY");
    if (minutes > KEYLESS_MAX_MINUTES && (key == null || key.isBlank())) {
      throw new IllegalArgumentException("soak: --minutes " + minutes + " needs MOLT_AKKA_LICENSE_KEY: without "
          + "akka.license-key each node JVM stops 15 minutes after it started (at most " + KEYLESS_MAX_MINUTES
          + " minutes of soak fit)");
    }
    Files.createDirectories(work);
    LocalCluster allocated = LocalCluster.allocate(work, 3);
    List<String> options = new ArrayList<>();
    // Akka's default of 5 s ended a node JVM at start on this 2-core machine under a load average of 25.
    options.add("-Dakka.logger-startup-timeout=30s");
    // "Heap after GC" is to be the heap a leak grows, and two things a full GC leaves would hide it
    // (heap dumps at minutes 3 and 12 showed both moving by more than a leak-free node's live heap):
    // the serial collector's dead wood (unreachable objects not compacted away, up to 5% of the old
    // generation: MarkSweepDeadRatio) and softly reachable caches (class reflection data, Jackson's
    // introspection), which the JVM clears at its discretion and always before running out of memory.
    options.add("-XX:MarkSweepDeadRatio=0");
    options.add("-XX:SoftRefLRUPolicyMSPerMB=0");
    for (int i = 0; i < 3; i++) {
      options.add("-Dakka.cluster.seed-nodes." + i + "=akka://molt@127.0.0.1:" + allocated.node(i).remotePort);
    }
    long nodesStarted = System.nanoTime();
    try (LocalCluster cluster = allocated.startAll(node -> options)) {
      for (String version : List.of("1.0.0", "2.0.0", "3.0.0")) {
        check(cluster.upload(0, bundle(examples, version)).status() == 201, "upload " + version);
      }
      check("completed".equals(cluster.rollout(0, "{\"target\": \"1.0.0\"}").path("phase").asText()), "rollout 1.0.0");
      List<URI> uris = cluster.nodes.stream().map(n -> URI.create("http://127.0.0.1:" + n.appPort)).toList();
      ScoreLoad load = new ScoreLoad(uris, 12, 2, 6, ScoreLoad.Spread.ALL_NODES);
      load.start();
      cluster.await("scores flowing", () -> load.acked() > 300);
      System.out.printf("soak: %d minutes, a rollout a minute (%s, ...), work dir %s%n", minutes,
          String.join(" -> ", List.of("1.0.0", CYCLE.get(0), CYCLE.get(1), CYCLE.get(2))), work);

      long start = System.nanoTime();
      List<Point> firstCycle = null;
      List<String> failures = new ArrayList<>();
      int completed = 0;
      for (int k = 0; k < minutes; k++) {
        sleepUntil(start + k * MINUTE_NANOS);
        if (k == CYCLE.size()) {
          firstCycle = measure(cluster, "after the first cycle", start);
        }
        String target = CYCLE.get(k % CYCLE.size());
        long began = System.nanoTime();
        String phase;
        try {
          JsonNode rollout = cluster.rollout(k % 3,
              "{\"target\": \"" + target + "\", \"batchSize\": 1, \"mode\": \"pipelined\"}");
          phase = rollout.path("phase").asText();
          if (!"completed".equals(phase)) {
            failures.add("rollout " + (k + 1) + " to " + target + " ended " + phase + ": " + rollout.path("reason").asText());
          }
        } catch (RuntimeException | AssertionError e) {
          phase = "did not end";
          failures.add("rollout " + (k + 1) + " to " + target + ": " + e.getMessage());
        }
        long tookMicros = (System.nanoTime() - began) / 1000;
        if ("completed".equals(phase)) {
          completed++;
          results.add("soak", "rollouts", minutes, "rollout_total_us", tookMicros);
        }
        System.out.printf("soak: t=%s rollout %d to %s: %s in %d ms%n", clock(began - start), k + 1, target, phase,
            tookMicros / 1000);
      }
      sleepUntil(start + minutes * MINUTE_NANOS);
      List<Point> end = measure(cluster, "at the end", start);
      ScoreLoad.Result scores = load.stopAndVerify();
      System.out.printf("soak: load %s; node JVMs up %s%n", scores, clock(System.nanoTime() - nodesStarted));

      if (scores.lost() != 0 || !scores.problems().isEmpty()) {
        failures.add(scores.lost() + " acknowledged score(s) lost: " + scores.problems());
      }
      for (int i = 0; i < end.size(); i++) {
        failures.addAll(compare(cluster.node(i), firstCycle.get(i), end.get(i), minutes, results));
      }
      results.add("soak", "all", minutes, "rollouts", minutes);
      results.add("soak", "all", minutes, "rollouts_completed", completed);
      results.add("soak", "all", minutes, "acked", scores.acked());
      results.add("soak", "all", minutes, "state_lost", scores.lost());
      results.add("soak", "all", minutes, "passed", failures.isEmpty() ? 1 : 0);
      System.out.println(failures.isEmpty() ? "soak: PASS" : "soak: FAIL\n  " + String.join("\n  ", failures));
      return failures.isEmpty();
    }
  }

  /** One node's numbers at one moment, with the release it ran then. */
  private record Point(JvmSnapshot jvm, String running, String at) {}

  private static List<Point> measure(LocalCluster cluster, String label, long start) throws Exception {
    String at = clock(System.nanoTime() - start);
    JsonNode view = cluster.get(0, "/molt/cluster");
    List<Point> points = new ArrayList<>();
    for (NodeProcess node : cluster.nodes) {
      String running = "?";
      for (JsonNode member : view.path("members")) {
        if (member.path("node").asText().equals(node.name())) {
          running = member.path("running").asText();
        }
      }
      JvmSnapshot jvm = JvmSnapshot.of(node.pid());
      points.add(new Point(jvm, running, at));
      System.out.printf("soak: t=%s %s, node-%d (%s, %s): %s%n", at, label, node.index, node.name(), running, jvm.describe());
    }
    return points;
  }

  /** Records both points and the change, and returns what is over the bound. */
  private static List<String> compare(NodeProcess node, Point first, Point end, int minutes, Results results) {
    String variant = "node-" + node.index;
    long[] before = first.jvm().values();
    long[] after = end.jvm().values();
    List<String> over = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (int m = 0; m < before.length; m++) {
      String metric = JvmSnapshot.NAMES.get(m);
      double change = JvmSnapshot.percent(before[m], after[m]);
      results.add("soak", variant, minutes, metric + "_first", before[m]);
      results.add("soak", variant, minutes, metric + "_end", after[m]);
      // Basis points (1/100 of a percent): the CSV holds whole numbers.
      results.add("soak", variant, minutes, metric + "_change_bp", Math.round(change * 100));
      line.append(String.format("%s %d -> %d (%+.2f%%)  ", metric, before[m], after[m], change));
      if (Math.abs(change) > BOUND_PERCENT) {
        over.add(variant + " " + metric + " changed " + String.format("%+.2f%%", change) + " (" + before[m] + " at "
            + first.at() + " on " + first.running() + ", " + after[m] + " at " + end.at() + " on " + end.running()
            + "), over the bound of " + BOUND_PERCENT + "%");
      }
    }
    System.out.printf("soak: %s %s (%s at %s -> %s at %s): %s%n", variant, node.name(), first.running(), first.at(),
        end.running(), end.at(), line.toString().trim());
    return over;
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left = nanoTime - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
  }

  private static String clock(long nanos) {
    long seconds = nanos / 1_000_000_000L;
    return String.format("%d:%02d", seconds / 60, seconds % 60);
  }

  private static Path bundle(Path examples, String version) {
    return examples.resolve("game-" + version).resolve("target").resolve("game-" + version + ".molt");
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("soak scenario: " + what + " failed");
    }
  }
}
