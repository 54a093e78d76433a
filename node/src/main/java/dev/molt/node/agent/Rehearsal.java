package dev.molt.node.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.host.Causes;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import dev.molt.node.json.JsonDifference;
import dev.molt.node.release.LoadedBehaviour;
import dev.molt.node.release.MigrationPath;
import dev.molt.node.release.ReleaseCodeTimeoutException;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.release.StateMigration;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.protocol.release.ReleaseDescriptor;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before the point of no return, runs a behaviour's migration on copies of a few live actors'
 * states (the first and last in path order and evenly spaced ones between; {@code
 * molt.install.rehearsal-samples}), then migrates each result back (down-then-up for a downgrade)
 * and compares it with the original, and throws the copies away. Each way runs on a release-code
 * thread within the migration budget ({@code molt.host.migration-budget}), as a real migration.
 *
 * <p>A migration that fails on real data, or a round trip that does not give back the state it
 * started from, is refused while nothing has changed, naming the actor (and the first differing
 * field): a down-migration that wipes a field would otherwise only show on a rollback, after the
 * data is gone. A release that declares the behaviour {@code lossy} waives the comparison. And the
 * code paths real states take are warm before the first actor swaps: the warm-up at load only ever
 * sees initial states; in the cluster benchmark the first real swap in each JVM still paused
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
    ReleaseDescriptor from = source.release().descriptor();
    ReleaseDescriptor to = target.release().descriptor();
    boolean lossy = LossyMigrations.declared(from, to, source.name());
    JsonNode extraBack = LossyMigrations.extraBack(from, to, source.name(), HostSteps.NO_EXTRA);
    long started = System.nanoTime();
    int rehearsed = 0;
    for (Asks.Answer<HostReply> answer : asks.hosts(picked, HostCommand.GetState::new)) {
      // An actor that does not answer, or already runs another version, is the steps' business.
      if (!(answer.reply() instanceof HostReply.State live) || live.version() != source.version()) {
        log.debug("rehearsal of {}: skipped {} ({})", step, answer.target(), answer.error() != null ? answer.error() : answer.reply());
        continue;
      }
      ObjectNode carried = live.carried() instanceof ObjectNode o ? o : StateMigration.noCarriedFields();
      StateMigration.Result there = migrate(step, answer.target(), "migration of " + source.name(),
          () -> StateMigration.run(source, source.decodeState(live.state()), carried,
              registry.migrationPath(source, target), target, extra));
      if (!lossy) {
        roundTrip(step, answer.target(), live, carried, there, source, target, extraBack);
      }
      rehearsed++;
    }
    log.info("rehearsal of {}: {} live state(s) migrated v{} -> v{}{} in {} ms", step, rehearsed, source.version(),
        target.version(), lossy ? "; round trip not compared: " + LossyMigrations.newer(from, to).id() + " declares '"
            + source.name() + "' lossy" : " and back, round trips equal", (System.nanoTime() - started) / 1_000_000);
    return rehearsed;
  }

  /** Migrates the result back, in its own budget, and refuses the install if it is not the original. */
  private void roundTrip(String step, String actor, HostReply.State live, ObjectNode carried, StateMigration.Result there,
      LoadedBehaviour source, LoadedBehaviour target, JsonNode extraBack) throws InstallFailure {
    StateMigration.Result back;
    try {
      back = migrate(step, actor, "migration of " + source.name() + " back from v" + target.version()
          + " to v" + source.version(), () -> StateMigration.run(target, there.state(), there.carried(),
              registry.migrationPath(target, source), source, extraBack));
    } catch (InstallFailure e) {
      if (target.version() > source.version()) {
        throw e; // going up, the way back is the rollback's migration: it must work
      }
      // Going down, the way back is an upgrade this node will not run now; refusing the downgrade
      // for it would leave a node stuck on the release it is being rolled back from.
      log.warn("rehearsal of {}: round trip of {} not proven, the way back up failed: {}", step, actor, e.getMessage());
      return;
    }
    JsonNode returned;
    try {
      returned = source.encodeState(back.state());
    } catch (RuntimeException e) {
      throw new InstallFailure(step, actor, "the state migrated to v" + target.version() + " and back cannot be written "
          + "(nothing was changed): " + Causes.describe(e));
    }
    Optional<JsonDifference.Difference> difference =
        JsonDifference.first(withCarried(live.state(), carried, carried), withCarried(returned, back.carried(), carried));
    if (difference.isPresent()) {
      ReleaseDescriptor newer = LossyMigrations.newer(source.release().descriptor(), target.release().descriptor());
      throw new InstallFailure(step, actor, "migrating a copy of this actor's live state v" + source.version() + " -> v"
          + target.version() + " -> v" + source.version() + " does not give it back (nothing was changed): first "
          + "difference at " + difference.get().describe() + "; if " + source.name() + "'s migrations lose data on "
          + "purpose, declare it in " + newer.id() + "'s " + ReleaseDescriptor.FILE_NAME + ": \"lossy\": [\""
          + source.name() + "\"]");
    }
  }

  /** A state with the carried fields named in {@code keys}: those the actor had must come back too. */
  private static JsonNode withCarried(JsonNode state, ObjectNode carried, ObjectNode keys) {
    if (!state.isObject() || keys.isEmpty()) {
      return state;
    }
    ObjectNode whole = ((ObjectNode) state).deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = carried.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (keys.has(field.getKey()) && !whole.has(field.getKey())) {
        whole.set(field.getKey(), field.getValue());
      }
    }
    return whole;
  }

  private interface Migration {
    StateMigration.Result run() throws Exception;
  }

  /** One way of the rehearsal on a release-code thread, bounded as the real migration will be. */
  private StateMigration.Result migrate(String step, String actor, String what, Migration migration)
      throws InstallFailure {
    try {
      return registry.threads().call("rehearsal of " + step + ": " + what + " on a copy of " + actor + "'s state",
          registry.settings().migrationBudget(), "molt.host.migration-budget", migration::run);
    } catch (ReleaseCodeTimeoutException e) {
      throw new InstallFailure(step, actor, what + " rehearsed on a copy of this actor's live state did not finish within "
          + registry.settings().migrationBudget().toMillis() + " ms (molt.host.migration-budget; nothing was changed): "
          + e.where());
    } catch (Exception e) {
      throw new InstallFailure(step, actor, "migration rehearsed on a copy of this actor's live state failed"
          + " (nothing was changed): " + what + ": " + Causes.describe(e));
    }
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
