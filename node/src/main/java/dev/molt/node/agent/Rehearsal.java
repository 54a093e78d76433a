package dev.molt.node.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.agent.HostSteps.Asks;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import dev.molt.node.release.LoadedBehaviour;
import dev.molt.node.release.MigrationPath;
import dev.molt.node.release.ReleaseCodeTimeoutException;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.release.StateMigration;
import dev.molt.node.supervision.ApplicationTree;
import java.util.List;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before the point of no return, runs a behaviour's migration on copies of a few live actors'
 * states (the first and last in path order and evenly spaced ones between; {@code
 * molt.install.rehearsal-samples}), each on a release-code thread within the migration budget
 * ({@code molt.host.migration-budget}, as the real migration), and throws the copies away. A migration that fails on real data is refused while nothing has changed, naming the
 * actor; and the code paths real states take (class loading, Jackson's (de)serializers for their
 * shapes, the release's migration) are warm before the first actor swaps. The warm-up at load only
 * ever sees initial states: in the cluster benchmark the first real swap in each JVM still paused
 * 16–33 ms.
 */
final class Rehearsal {
  private static final Logger log = LoggerFactory.getLogger(Rehearsal.class);

  private final ReleaseRegistry registry;
  private final Asks asks;
  private final int samples;

  Rehearsal(ReleaseRegistry registry, Asks asks, int samples) {
    this.registry = registry;
    this.asks = asks;
    this.samples = samples;
  }

  /** @return how many live states the migration ran on */
  int run(String step, List<ApplicationTree.Host> hosts, LoadedBehaviour source, LoadedBehaviour target, JsonNode extra)
      throws InstallFailure {
    List<ApplicationTree.Host> picked = pick(hosts);
    if (picked.isEmpty()) {
      return 0;
    }
    int rehearsed = 0;
    for (Asks.Answer<HostReply> answer : asks.hosts(picked, HostCommand.GetState::new)) {
      // An actor that does not answer, or already runs another version, is the steps' business.
      if (!(answer.reply() instanceof HostReply.State live) || live.version() != source.version()) {
        log.debug("rehearsal of {}: skipped {} ({})", step, answer.target(), answer.error() != null ? answer.error() : answer.reply());
        continue;
      }
      try {
        ObjectNode carried = live.carried() instanceof ObjectNode o ? o : StateMigration.noCarriedFields();
        List<MigrationPath.Hop> hops = registry.migrationPath(source, target);
        // Bounded as the real migration will be: one that misses its budget here would on the actor.
        registry.threads().call("rehearsal of " + step + " on a copy of " + answer.target() + "'s state",
            registry.settings().migrationBudget(), "molt.host.migration-budget",
            () -> StateMigration.run(source, source.decodeState(live.state()), carried, hops, target, extra));
      } catch (ReleaseCodeTimeoutException e) {
        throw new InstallFailure(step, answer.target(), "migration of " + source.name() + " rehearsed on a copy of this "
            + "actor's live state did not finish within " + registry.settings().migrationBudget().toMillis()
            + " ms (molt.host.migration-budget; nothing was changed): " + e.where());
      } catch (Exception e) {
        throw new InstallFailure(step, answer.target(), "migration rehearsed on a copy of this actor's live state failed"
            + " (nothing was changed): " + e);
      }
      rehearsed++;
    }
    return rehearsed;
  }

  /** The first and the last host and evenly spaced ones between, {@code samples} at most. */
  private List<ApplicationTree.Host> pick(List<ApplicationTree.Host> hosts) {
    int count = Math.min(samples, hosts.size());
    if (count <= 1) {
      return hosts.subList(0, count);
    }
    // count <= size, so the step (size - 1) / (count - 1) is at least 1: no index twice.
    return IntStream.range(0, count).mapToObj(i -> hosts.get((int) ((long) (hosts.size() - 1) * i / (count - 1)))).toList();
  }
}
