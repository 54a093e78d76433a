package dev.molt.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.AskPattern;
import dev.molt.node.agent.AgentCommand;
import dev.molt.node.agent.AgentReply;
import dev.molt.node.agent.InstallMode;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.protocol.envelope.Envelope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 2, load: N actors, {@code clients} threads each doing request–reply ("get") to random
 * actors without pause; latency measured steady (before), during the install of 2.0.0, and after.
 * {@code lost} counts calls that got no reply or a rejection.
 */
final class LoadScenario {
  private static final String[] PHASES = {"steady", "during", "after"};

  private LoadScenario() {}

  static void run(Path bundles, int n, int clients, Results results) throws Exception {
    for (InstallMode mode : InstallMode.values()) {
      try (BenchNode node = new BenchNode(bundles)) {
        node.install(BenchNode.V1, InstallMode.BARRIER);
        node.spawnCounters(n);
        var tree = ((AgentReply.Tree) node.ask(AgentCommand.GetTree::new)).tree();
        List<ActorRef<Object>> actors = tree.hosts("counter").stream().filter(h -> !h.child().equals("census"))
            .map(ApplicationTree.Host::ref).toList();
        // Warm-up: an install round trip and some calls, untimed.
        node.install(BenchNode.V2, mode);
        node.install(BenchNode.V1, mode);
        AtomicInteger phase = new AtomicInteger(-1);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong ok = new AtomicLong();
        AtomicLong lost = new AtomicLong();
        List<List<List<Long>>> perClient = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
          List<List<Long>> mine = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
          perClient.add(mine);
          Thread t = new Thread(() -> {
            while (!stop.get()) {
              ActorRef<Object> actor = actors.get(ThreadLocalRandom.current().nextInt(actors.size()));
              int at = phase.get();
              long started = System.nanoTime();
              try {
                Envelope reply = AskPattern.<Object, Envelope>ask(actor,
                    r -> node.envelopes().of("get", 1, Map.of("replyTo", r)), Duration.ofSeconds(10),
                    node.system.scheduler()).toCompletableFuture().get(11, TimeUnit.SECONDS);
                long took = System.nanoTime() - started;
                if (Envelope.REJECTED.equals(reply.type())) {
                  lost.incrementAndGet();
                } else {
                  ok.incrementAndGet();
                  int now = phase.get();
                  if (at >= 0 && at == now) {
                    mine.get(at).add(took / 1000);
                  } else if (at >= 0) {
                    mine.get(Math.max(at, now)).add(took / 1000); // spans a phase change: the later phase
                  }
                }
              } catch (Exception e) {
                lost.incrementAndGet();
              }
            }
          }, "load-client-" + c);
          t.setDaemon(true);
          threads.add(t);
          t.start();
        }
        Thread.sleep(1000); // clients settle
        phase.set(0);
        Thread.sleep(3000);
        phase.set(1);
        node.install(BenchNode.V2, mode);
        phase.set(2);
        Thread.sleep(3000);
        stop.set(true);
        for (Thread t : threads) {
          t.join(15_000);
        }
        String variant = mode == InstallMode.BARRIER ? "up" : "up-pipelined";
        for (int p = 0; p < PHASES.length; p++) {
          List<Long> all = new ArrayList<>();
          for (List<List<Long>> c : perClient) {
            all.addAll(c.get(p));
          }
          long[] s = Results.sorted(all);
          if (s.length == 0) {
            continue;
          }
          results.add("load", variant, n, PHASES[p] + "_p50_us", Results.percentile(s, 0.50));
          results.add("load", variant, n, PHASES[p] + "_p99_us", Results.percentile(s, 0.99));
          results.add("load", variant, n, PHASES[p] + "_p999_us", Results.percentile(s, 0.999));
          results.add("load", variant, n, PHASES[p] + "_max_us", s[s.length - 1]);
          results.add("load", variant, n, PHASES[p] + "_calls", s.length);
        }
        results.add("load", variant, n, "ok_calls", ok.get());
        results.add("load", variant, n, "lost", lost.get());
      }
    }
  }
}
