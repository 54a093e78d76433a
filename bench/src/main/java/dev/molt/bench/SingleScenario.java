package dev.molt.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.AskPattern;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.release.ReleaseId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 3, single: one actor swapped up and down alternately ({@code Swap}). swap_us is the
 * actor's own pause (from the swap's turn until it switched, its migration's trip to a release-code
 * thread included); swap_rtt_us the round trip of the command from the benchmark thread.
 */
final class SingleScenario {
  private SingleScenario() {}

  static void run(Path bundles, int swaps, Results results) throws Exception {
    try (BenchNode node = new BenchNode(bundles)) {
      node.install(BenchNode.V1, InstallMode.BARRIER);
      node.spawnCounters(1);
      var tree = ((dev.molt.node.agent.AgentReply.Tree) node.ask(dev.molt.node.agent.AgentCommand.GetTree::new)).tree();
      ActorRef<Object> actor = tree.hosts("counter").stream().filter(h -> !h.child().equals("census"))
          .map(ApplicationTree.Host::ref).findFirst().orElseThrow();
      List<Long> inActor = new ArrayList<>();
      List<Long> roundTrip = new ArrayList<>();
      for (int i = 0; i < swaps + 200; i++) {
        ReleaseId target = i % 2 == 0 ? BenchNode.V2 : BenchNode.V1;
        long started = System.nanoTime();
        HostReply reply = AskPattern.<Object, HostReply>ask(actor, r -> new HostCommand.Swap(target, null, r),
            Duration.ofSeconds(30), node.system.scheduler()).toCompletableFuture().get();
        long rtt = System.nanoTime() - started;
        if (!(reply instanceof HostReply.Changed changed)) {
          throw new IllegalStateException("swap failed: " + reply);
        }
        if (i >= 200) { // the first 200 warm the code
          inActor.add(changed.migrationNanos());
          roundTrip.add(rtt);
        }
      }
      long[] in = Results.sorted(inActor);
      long[] rt = Results.sorted(roundTrip);
      results.add("single", "swap", 1, "swap_p50_us", Results.percentile(in, 0.50) / 1000);
      results.add("single", "swap", 1, "swap_p99_us", Results.percentile(in, 0.99) / 1000);
      results.add("single", "swap", 1, "swap_rtt_p50_us", Results.percentile(rt, 0.50) / 1000);
      results.add("single", "swap", 1, "swap_rtt_p99_us", Results.percentile(rt, 0.99) / 1000);
    }
  }
}
