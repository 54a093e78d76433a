package dev.molt.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import dev.molt.node.agent.AgentCommand;
import dev.molt.node.agent.AgentReply;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.protocol.control.InstallMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 2, load: N counters and {@code clients} client actors on the same node, each doing
 * request–reply ("get") to random counters without pause (OTP's setup: client processes beside the
 * servers); latency measured steady (3 s before), during the install of 2.0.0, and after (3 s).
 * {@code lost} counts calls that got no reply or a rejection; {@code install_us} is the install's
 * own time under that load.
 */
final class LoadScenario {
  private static final String[] PHASES = {"steady", "during", "after"};
  private static final Duration WAIT = Duration.ofSeconds(30);

  /**
   * Variant suffix to dispatcher settings. The plain variants run the shipped configuration: hosts,
   * clients and everything else on Akka's default fork-join pool (8 threads here). {@code
   * -host-dispatcher} puts the hosts on {@code molt.host-dispatcher} (a FIFO pool, one thread per
   * core): under this saturating closed loop the fork-join pool lets work submitted from outside it
   * (an install, timers) wait until a worker's own queue runs dry, which the FIFO pool does not.
   */
  private static final Map<String, Map<String, String>> DISPATCHERS = new LinkedHashMap<>();

  static {
    DISPATCHERS.put("", Map.of());
    DISPATCHERS.put("-host-dispatcher", Map.of("molt.host.dispatcher", "molt.host-dispatcher"));
  }

  private LoadScenario() {}

  static void run(Path bundles, int n, int clients, int reps, Results results) throws Exception {
    for (Map.Entry<String, Map<String, String>> dispatcher : DISPATCHERS.entrySet()) {
      for (InstallMode mode : InstallMode.values()) {
        String variant = (mode == InstallMode.BARRIER ? "up" : "up-pipelined") + dispatcher.getKey();
        for (int rep = 0; rep < reps; rep++) {
          try (BenchNode node = new BenchNode(bundles, dispatcher.getValue())) {
            once(node, n, clients, mode, variant, results);
          }
        }
      }
    }
  }

  private static void once(BenchNode node, int n, int clients, InstallMode mode, String variant, Results results)
      throws Exception {
    node.install(BenchNode.V1, InstallMode.BARRIER);
    node.spawnCounters(n);
    var tree = ((AgentReply.Tree) node.ask(AgentCommand.GetTree::new)).tree();
    List<ActorRef<Object>> counters = tree.hosts("counter").stream().map(ApplicationTree.Host::ref).toList();
    // Warm-up: an install round trip, untimed.
    node.install(BenchNode.V2, mode);
    node.install(BenchNode.V1, mode);

    AtomicInteger phase = new AtomicInteger(-1);
    List<ActorRef<Object>> running = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      running.add(node.system.systemActorOf(LoadClient.create(counters, phase, PHASES.length, c),
          "load-client-" + c + "-" + System.nanoTime(), Props.empty()));
    }
    Thread.sleep(1000); // clients settle, untimed
    phase.set(0);
    Thread.sleep(3000);
    phase.set(1);
    long installStarted = System.nanoTime();
    node.install(BenchNode.V2, mode);
    results.add("load", variant, n, "install_us", (System.nanoTime() - installStarted) / 1000);
    phase.set(2);
    Thread.sleep(3000);
    // Done: calls from here on, and the ones in flight, are not timed. The Finish messages below
    // come from this thread, outside the dispatcher, and can wait long in a saturated pool.
    phase.set(PHASES.length);

    List<List<LatencyLog>> byPhase = Arrays.stream(PHASES).<List<LatencyLog>>map(name -> new ArrayList<>()).toList();
    long ok = 0;
    long lost = 0;
    for (ActorRef<Object> client : running) {
      LoadClient.Report report = AskPattern.<Object, LoadClient.Report>ask(client, LoadClient.Finish::new, WAIT,
          node.system.scheduler()).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      for (int p = 0; p < PHASES.length; p++) {
        byPhase.get(p).add(report.perPhase().get(p));
      }
      ok += report.ok();
      lost += report.lost();
    }
    for (int p = 0; p < PHASES.length; p++) {
      long[] s = LatencyLog.sortedUnion(byPhase.get(p));
      if (s.length == 0) {
        continue;
      }
      results.add("load", variant, n, PHASES[p] + "_p50_us", Results.percentile(s, 0.50));
      results.add("load", variant, n, PHASES[p] + "_p99_us", Results.percentile(s, 0.99));
      results.add("load", variant, n, PHASES[p] + "_p999_us", Results.percentile(s, 0.999));
      results.add("load", variant, n, PHASES[p] + "_max_us", s[s.length - 1]);
      results.add("load", variant, n, PHASES[p] + "_calls", s.length);
    }
    results.add("load", variant, n, "ok_calls", ok);
    results.add("load", variant, n, "lost", lost);
  }
}
