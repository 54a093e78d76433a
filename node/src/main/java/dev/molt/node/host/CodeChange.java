package dev.molt.node.host;

import akka.actor.typed.Scheduler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.release.LoadedBehaviour;
import dev.molt.node.release.LoadedRelease;
import dev.molt.node.release.MigrationPath;
import dev.molt.node.release.MoltSettings;
import dev.molt.node.release.ReleaseCodeTimeoutException;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.release.ReleaseThreads;
import dev.molt.node.release.StateMigration;
import dev.molt.protocol.release.ReleaseId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import scala.concurrent.ExecutionContextExecutor;

/**
 * The first half of a host's code change, OTP's {@code code_change}: finds the target's version of
 * the behaviour and migrates the host's state to it, changing nothing of the host.
 *
 * <p>Migrations run on release-code threads, each within its budget: a migration that never
 * returns (a loop, a lock) fails the change at the budget and its thread is abandoned, counted as
 * stuck, while the host stays on its code and state and goes on serving. Release code never gets
 * the host's state to change: up-migrations read JSON, and a down-migration gets a copy.
 *
 * <p>Two ways to get there. A suspended host's state does not change until it resumes, so a
 * barrier install {@link #prepare prepares} every suspended host's migration from what the hosts
 * lent it ({@link Source}), a few release-code threads running thousands of migrations back to
 * back (one hop per run, not per actor), and each host only switches to the prepared result. A
 * host swapping on its own ({@code Swap}) {@link #start queues} its migration for the release-code
 * threads and stashes until it is back ({@link Queued}), watching its budget with its own timer; a
 * single {@code ChangeCode} on a suspended host waits for its migration's hop to a release-code
 * thread. {@code molt.host.migration-thread = actor} runs migrations on the calling thread,
 * without the watchdog.
 */
public final class CodeChange {

  /** The outcome of a migration: refused or failed, already there, or migrated. */
  public sealed interface Outcome {}

  /** Refused or failed; the host is unchanged. */
  public record Failed(HostReply.Reason reason, String cause) implements Outcome {
    /** Counted as a failed migration: release code ran and did not succeed. */
    boolean migrationFailed() {
      return reason == HostReply.Reason.MIGRATION_FAILED;
    }
  }

  /** Not prepared by the deadline the install gave: its step has run out of time. */
  record OutOfTime() implements Outcome {}

  /** The host already runs the target's code. */
  record AlreadyThere(LoadedBehaviour target) implements Outcome {}

  /** The state, migrated; the host switches to {@code target} with it. */
  record Migrated(LoadedBehaviour target, StateMigration.Result result, long nanos, String what) implements Outcome {}

  /**
   * Not an outcome yet: a swap's migration queued on a release-code thread while its host stashes.
   * {@link #finish} gives its outcome once {@code whenDone} was told; past its budget
   * the host gives up on it ({@link #abandon}).
   */
  record Queued(ReleaseThreads.Task<StateMigration.Result> call, Plan plan) implements Outcome {
    /**
     * How long until the host should look again, or 0 when the migration is over its budget. The
     * budget counts from the migration's start; until it starts, the host looks every budget.
     */
    long lookAgainNanos() {
      long left = call.deadlineNanos(plan.limit()) - System.nanoTime();
      return left <= 0 ? 0 : call.started() ? left : Math.min(left, plan.limit().toNanos());
    }

    Duration budget() {
      return plan.limit();
    }

    /** Watches the budget for a host that stopped meanwhile: a stuck migration is still abandoned. */
    void watchWithout(Scheduler scheduler, ExecutionContextExecutor executor) {
      long left = lookAgainNanos();
      if (call.done()) {
        return;
      }
      if (left == 0) {
        abandon(this);
        return;
      }
      scheduler.scheduleOnce(Duration.ofNanos(left), () -> watchWithout(scheduler, executor), executor);
    }

    /** This migration's call, as {@code whenDone} was told it: the host matches what comes back. */
    boolean is(Object call) {
      return this.call == call;
    }
  }

  /** What a migration reads of a suspended host, lent to the install; unchanged while the host stays suspended. */
  public record Source(LoadedBehaviour behaviour, Object state, ObjectNode carried) {}

  /**
   * A migration prepared outside the host from {@code source}, or not ({@code outcome} null, or
   * {@code source} not the host's any more): then the host migrates itself to {@code target}.
   */
  public record Prepared(Source source, ReleaseId target, JsonNode extra, Duration budget, Outcome outcome) {
    /** The install's deadline passed before this migration was prepared. */
    public boolean outOfTime() {
      return outcome instanceof OutOfTime;
    }

    /** Prepared, and refused or failed: the host would answer {@link HostReply.Failed}. */
    public boolean failed() {
      return outcome instanceof Failed;
    }

    /** The outcome, if it was prepared from exactly this code, state and carried fields. */
    Optional<Outcome> forHost(LoadedBehaviour behaviour, Object state, ObjectNode carried) {
      return source != null && outcome != null && !outOfTime() && source.behaviour() == behaviour && source.state() == state
          && source.carried() == carried ? Optional.of(outcome) : Optional.empty();
    }
  }

  /** A migration found but not run: the target's version and the hops to it. */
  private record Plan(LoadedBehaviour target, List<MigrationPath.Hop> hops, String what, Duration limit,
      String setting) {}

  /** Fewest migrations worth a thread of their own when prepared back to back. */
  private static final int PER_THREAD = 64;

  private CodeChange() {}

  /** One host's migration, waiting for it on a release-code thread (or running it here with {@code actor}). */
  static Outcome migrate(ReleaseRegistry registry, String behaviourName, LoadedBehaviour previous, Object state,
      ObjectNode carried, ReleaseId targetId, JsonNode extra, Duration budget) {
    return migrateWith(registry, behaviourName, previous, state, carried, targetId, extra, budget, (plan, migration) -> {
      long started = System.nanoTime();
      try {
        StateMigration.Result migrated = registry.threads().call(plan.what(), plan.limit(), plan.setting(), migration);
        return new Migrated(plan.target(), migrated, System.nanoTime() - started, plan.what());
      } catch (ReleaseCodeTimeoutException e) {
        return overran(plan, e);
      } catch (Throwable e) {
        return failed(plan, e);
      }
    });
  }

  /** How a migration that needs a release-code thread gets there: waited for, or queued. */
  private interface OnReleaseCode {
    Outcome run(Plan plan, ReleaseThreads.Body<StateMigration.Result, Exception> migration);
  }

  /** The outcome that needs no release-code thread (refused, already there, or {@code actor}), else {@code onReleaseCode}'s. */
  private static Outcome migrateWith(ReleaseRegistry registry, String behaviourName, LoadedBehaviour previous,
      Object state, ObjectNode carried, ReleaseId targetId, JsonNode extra, Duration budget, OnReleaseCode onReleaseCode) {
    Object found = plan(registry, behaviourName, previous, targetId, budget);
    if (!(found instanceof Plan plan)) {
      return (Outcome) found;
    }
    if (registry.settings().migrationThread() == MoltSettings.MigrationThread.ACTOR) {
      return runHere(plan, previous, state, carried, extra);
    }
    return onReleaseCode.run(plan, () -> StateMigration.run(previous, state, carried, plan.hops(), plan.target(), extra));
  }

  /**
   * A swap's migration: queued on a release-code thread ({@link Queued}; {@code whenDone} is told
   * on that thread when it is back), or an outcome at once: refused, already there, or run here
   * with {@code molt.host.migration-thread = actor}.
   */
  static Outcome start(ReleaseRegistry registry, String behaviourName, LoadedBehaviour previous, Object state,
      ObjectNode carried, ReleaseId targetId, JsonNode extra, Duration budget, Consumer<Object> whenDone) {
    return migrateWith(registry, behaviourName, previous, state, carried, targetId, extra, budget,
        (plan, migration) -> new Queued(registry.threads().queue(plan.what(), migration, whenDone::accept), plan));
  }

  /** What a queued migration that came back gave; {@code nanos} is the host's pause for it. */
  static Outcome finish(Queued queued, long nanos) {
    try {
      return new Migrated(queued.plan().target(), queued.call().<Exception>result(), nanos, queued.plan().what());
    } catch (Throwable e) {
      return failed(queued.plan(), e);
    }
  }

  /** Gives up on a queued migration past its deadline; null when it came back meanwhile (finish it). */
  static Outcome abandon(Queued queued) {
    ReleaseThreads.Task<StateMigration.Result> call = queued.call();
    if (!call.abandon()) {
      return null;
    }
    return overran(queued.plan(), call.describeAbandoned());
  }

  /**
   * The migrations of suspended hosts to {@code targetId}, in the order of {@code sources} (a null
   * source, a host that did not lend one, gets a migration the host runs itself). They run back to
   * back on one release-code thread per core, more while migrations are slow (up to {@code
   * maxThreads}), each within its budget, all by {@code deadlineNanos} ({@link OutOfTime} after it).
   */
  public static List<Prepared> prepare(ReleaseRegistry registry, String behaviourName, List<Source> sources,
      ReleaseId targetId, JsonNode extra, Duration budget, int maxThreads, long deadlineNanos) {
    List<Object> plans = new ArrayList<>(sources.size());
    List<Integer> toRun = new ArrayList<>();
    // Hosts on the same code share one plan: finding it (and naming it) once, not per host.
    Map<LoadedBehaviour, Object> planFor = new IdentityHashMap<>();
    for (int i = 0; i < sources.size(); i++) {
      Source source = sources.get(i);
      Object plan = source == null ? null
          : planFor.computeIfAbsent(source.behaviour(), from -> plan(registry, behaviourName, from, targetId, budget));
      plans.add(plan);
      if (plan instanceof Plan) {
        toRun.add(i);
      }
    }
    List<Object> run = toRun.isEmpty() ? List.of()
        : runAll(registry, toRun, plans, sources, extra, maxThreads, deadlineNanos);
    List<Prepared> prepared = new ArrayList<>(sources.size());
    for (int i = 0, next = 0; i < sources.size(); i++) {
      Object plan = plans.get(i);
      Object outcome = plan instanceof Plan p ? outcomeOf(p, run.get(next++)) : plan;
      prepared.add(new Prepared(sources.get(i), targetId, extra, budget, (Outcome) outcome));
    }
    return prepared;
  }

  private static List<Object> runAll(ReleaseRegistry registry, List<Integer> toRun, List<Object> plans,
      List<Source> sources, JsonNode extra, int maxThreads, long deadlineNanos) {
    ReleaseThreads.ItemBody<Integer, Outcome> body = i -> runHere((Plan) plans.get(i), sources.get(i).behaviour(),
        sources.get(i).state(), sources.get(i).carried(), extra);
    if (registry.settings().migrationThread() == MoltSettings.MigrationThread.ACTOR) {
      return new ArrayList<>(toRun.stream().map(body::run).toList());
    }
    Plan first = (Plan) plans.get(toRun.get(0));
    int threads = Math.min(Runtime.getRuntime().availableProcessors(), (toRun.size() + PER_THREAD - 1) / PER_THREAD);
    return registry.threads().callEach(toRun, threads, maxThreads, first.limit(), deadlineNanos, first.setting(),
        i -> ((Plan) plans.get(i)).what(), body);
  }

  /** What a prepared migration gave: its outcome, the budget's failure, or nothing by the deadline. */
  private static Outcome outcomeOf(Plan plan, Object result) {
    if (result instanceof ReleaseCodeTimeoutException e) {
      return overran(plan, e);
    }
    if (result instanceof Throwable e) {
      return failed(plan, e);
    }
    return result == null ? new OutOfTime() : (Outcome) result;
  }

  /** The migration's plan, or the outcome that needs none (refused, or already there). */
  private static Object plan(ReleaseRegistry registry, String behaviourName, LoadedBehaviour previous,
      ReleaseId targetId, Duration budget) {
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
    try {
      List<MigrationPath.Hop> hops = registry.migrationPath(previous, target);
      Duration limit = budget != null ? budget : registry.settings().migrationBudget();
      String setting = budget != null ? "the command's budget" : "molt.host.migration-budget";
      return new Plan(target, hops, what, limit, setting);
    } catch (MigrationPath.NoPathException e) {
      return new Failed(HostReply.Reason.NO_TARGET, e.getMessage());
    }
  }

  /** Runs the migration on this thread; its budget can be checked only once it returned. */
  private static Outcome runHere(Plan plan, LoadedBehaviour previous, Object state, ObjectNode carried, JsonNode extra) {
    long started = System.nanoTime();
    try {
      StateMigration.Result migrated = StateMigration.run(previous, state, carried, plan.hops(), plan.target(), extra);
      long took = System.nanoTime() - started;
      if (took > plan.limit().toNanos()) {
        return new Failed(HostReply.Reason.MIGRATION_FAILED, plan.what() + " took " + took / 1_000_000
            + " ms, over its budget of " + plan.limit().toMillis() + " ms (" + plan.setting() + ")");
      }
      return new Migrated(plan.target(), migrated, took, plan.what());
    } catch (Throwable e) {
      return failed(plan, e);
    }
  }

  /**
   * Release code failed: an exception, or an error of its own (a NoSuchMethodError of code built
   * against another library, a failed static initializer) that fails the migration like one. Only
   * the JVM's own failures (out of memory, a stack overflow) go on up.
   */
  private static Failed failed(Plan plan, Throwable e) {
    if (e instanceof VirtualMachineError fatal) {
      throw fatal;
    }
    return new Failed(HostReply.Reason.MIGRATION_FAILED, plan.what() + " failed: " + Causes.describe(e));
  }

  private static Failed overran(Plan plan, ReleaseCodeTimeoutException e) {
    return overran(plan, e.where());
  }

  private static Failed overran(Plan plan, String where) {
    return new Failed(HostReply.Reason.MIGRATION_FAILED, plan.what() + " ran over its budget of "
        + plan.limit().toMillis() + " ms (" + plan.setting() + "); " + where);
  }
}
