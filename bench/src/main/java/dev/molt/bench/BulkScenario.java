package dev.molt.bench;

import dev.molt.node.agent.AgentReply;
import dev.molt.node.agent.ProgressEvent;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.release.ReleaseId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 1, bulk: N actors on one node installed up and down, barrier and pipelined. total_us
 * is from the install request to its reply (every actor serving), preparation included and also
 * reported apart; step times come from the agent's progress events; unavailability per actor is
 * its suspended time: the whole window (barrier) or its block's (pipelined).
 */
final class BulkScenario {
  private BulkScenario() {}

  static void run(Path bundles, int n, int reps, Results results) throws Exception {
    try (BenchNode node = new BenchNode(bundles)) {
      node.install(BenchNode.V1, InstallMode.BARRIER);
      node.spawnCounters(n);
      // Warm-up: one untimed round of every variant (JIT, caches).
      cycle(node, n, null);
      for (int rep = 0; rep < reps; rep++) {
        cycle(node, n, results);
      }
    }
  }

  private static void cycle(BenchNode node, int n, Results results) throws Exception {
    for (InstallMode mode : InstallMode.values()) {
      measure("bulk", node, n, BenchNode.V2, BenchNode.V1, mode, "up-" + mode.json(), results);
      measure("bulk", node, n, BenchNode.V1, BenchNode.V2, mode, "down-" + mode.json(), results);
    }
  }

  /** One install of {@code target} (then {@code old} purged and loaded again, fresh, for the next), its times under {@code scenario}. */
  static void measure(String scenario, BenchNode node, int n, ReleaseId target, ReleaseId old, InstallMode mode,
      String variant, Results results) throws Exception {
    node.events.clear();
    System.gc();
    long started = System.nanoTime();
    AgentReply.Installed installed = node.install(target, mode);
    long total = System.nanoTime() - started;
    long purgeStart = System.nanoTime();
    node.registry().purge(old);
    long purge = System.nanoTime() - purgeStart;
    node.registry().load(old); // back for the next install (not timed)
    if (results == null) {
      return;
    }
    long prepare = 0;
    long suspend = 0;
    long change = 0;
    long resume = 0;
    List<ProgressEvent> finished = new ArrayList<>(node.events);
    for (ProgressEvent e : finished) {
      if (e.phase() != ProgressEvent.Phase.FINISHED) {
        continue;
      }
      String op = e.description().split(" ")[0];
      switch (op) {
        case "load", "verify", "warm" -> prepare += e.tookNanos();
        case "suspend" -> suspend += e.tookNanos();
        case "change-code" -> change += e.tookNanos();
        case "resume" -> resume += e.tookNanos();
        default -> { }
      }
    }
    results.add(scenario, variant, n, "total_us", total / 1000);
    results.add(scenario, variant, n, "prepare_us", prepare / 1000);
    results.add(scenario, variant, n, "suspend_us", suspend / 1000);
    results.add(scenario, variant, n, "change_code_us", change / 1000);
    results.add(scenario, variant, n, "resume_us", resume / 1000);
    results.add(scenario, variant, n, "purge_us", purge / 1000);
    results.add(scenario, variant, n, "unavail_p50_us", installed.pauseP50Nanos() / 1000);
    results.add(scenario, variant, n, "unavail_p99_us", installed.pauseP99Nanos() / 1000);
    results.add(scenario, variant, n, "unavail_max_us", installed.pauseMaxNanos() / 1000);
  }
}
