package dev.molt.node.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.release.LoadedBehaviour;
import dev.molt.node.release.LoadedRelease;
import dev.molt.node.release.MigrationPath;
import dev.molt.node.release.MoltSettings;
import dev.molt.node.release.ReleaseCodeTimeoutException;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.release.StateMigration;
import dev.molt.protocol.release.ReleaseId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The first half of a host's code change, OTP's {@code code_change}: finds the target's version of
 * the behaviour and migrates the host's state to it, changing nothing of the host.
 *
 * <p>The migration runs on a release-code thread, and the host waits for it at most its budget: a
 * migration that never returns (a loop, a lock) fails the change at the budget and is abandoned,
 * counted as a stuck thread, while the host stays on its code and state and goes on serving. It
 * never gets the host's state to change: up-migrations read JSON, and a down-migration gets a copy.
 * The host waits rather than taking the answer as a message: a swap stays one mailbox turn, and
 * the reply leaves from a dispatcher thread (answers sent from outside the fork-join pool were
 * measured to stall under load; see docs/relup.md). The hop costs each actor's pause two thread
 * wake-ups; {@code molt.host.migration-thread = actor} runs migrations on the actor's thread
 * instead, without the watchdog.
 */
final class CodeChange {

  sealed interface Outcome {}

  /** Refused or failed; the host is unchanged. */
  record Failed(HostReply.Reason reason, String cause) implements Outcome {
    /** Counted as a failed migration: release code ran and did not succeed. */
    boolean migrationFailed() {
      return reason == HostReply.Reason.MIGRATION_FAILED;
    }
  }

  /** The host already runs the target's code. */
  record AlreadyThere(LoadedBehaviour target) implements Outcome {}

  /** The state, migrated; the host switches to {@code target} with it. */
  record Migrated(LoadedBehaviour target, StateMigration.Result result, long nanos, String what) implements Outcome {}

  private CodeChange() {}

  static Outcome migrate(ReleaseRegistry registry, String behaviourName, LoadedBehaviour previous, Object state,
      ObjectNode carried, ReleaseId targetId, JsonNode extra, Duration budget) {
    Optional<LoadedRelease> targetRelease = registry.find(targetId);
    if (targetRelease.isEmpty()) {
      return new Failed(HostReply.Reason.NO_TARGET, "release " + targetId + " is not loaded on this node");
    }
    Optional<LoadedBehaviour> found = targetRelease.get().behaviour(behaviourName);
    if (found.isEmpty()) {
      return new Failed(HostReply.Reason.NO_TARGET, "release " + targetId + " has no behaviour '" + behaviourName + "'");
    }
    LoadedBehaviour target = found.get();
    if (target == previous) {
      return new AlreadyThere(target);
    }
    String what = "migration of " + behaviourName + " from " + previous.release().id() + " (v" + previous.version()
        + ") to " + targetId + " (v" + target.version() + ")";
    List<MigrationPath.Hop> hops;
    try {
      hops = registry.migrationPath(previous, target);
    } catch (MigrationPath.NoPathException e) {
      return new Failed(HostReply.Reason.NO_TARGET, e.getMessage());
    }
    Duration limit = budget != null ? budget : registry.settings().migrationBudget();
    String setting = budget != null ? "the command's budget" : "molt.host.migration-budget";
    long started = System.nanoTime();
    try {
      StateMigration.Result migrated = registry.settings().migrationThread() == MoltSettings.MigrationThread.ACTOR
          ? StateMigration.run(previous, state, carried, hops, target, extra)
          : registry.threads().call(what, limit, setting, () -> StateMigration.run(previous, state, carried, hops, target, extra));
      long took = System.nanoTime() - started;
      if (took > limit.toNanos()) {
        // Only on the actor's thread, where the budget can be checked only once the migration returned.
        return new Failed(HostReply.Reason.MIGRATION_FAILED, what + " took " + took / 1_000_000 + " ms, over its budget of " + limit.toMillis() + " ms ("
            + setting + ")");
      }
      return new Migrated(target, migrated, took, what);
    } catch (ReleaseCodeTimeoutException e) {
      return new Failed(HostReply.Reason.MIGRATION_FAILED, what + " ran over its budget of " + limit.toMillis() + " ms (" + setting
          + "); " + e.where());
    } catch (Exception e) {
      return new Failed(HostReply.Reason.MIGRATION_FAILED, what + " failed: " + Causes.describe(e));
    }
  }
}
