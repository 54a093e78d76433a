package dev.molt.node.agent;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import dev.molt.node.release.InvalidBundleException;
import dev.molt.node.release.LoadedBehaviour;
import dev.molt.node.release.LoadedRelease;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.node.supervision.SupervisorCommand;
import dev.molt.node.supervision.SupervisorReply;
import dev.molt.protocol.release.ReleaseId;
import dev.molt.protocol.release.SupervisorSpec;
import dev.molt.protocol.relup.Relup;
import dev.molt.protocol.relup.RelupScript;
import dev.molt.protocol.relup.Step;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a compiled plan on this node (OTP's {@code release_handler_1:eval_script}), on the install
 * thread. Before the point of no return a failure changes nothing. After it, every step that
 * changed something has left an undo action; a failure runs them in reverse, so each actor goes
 * back to its previous code and state, supervisors to their previous spec, and the node keeps
 * serving the release it ran before. Actors of a step are asked in parallel; each step has a
 * timeout.
 */
final class ScriptRunner {
  private static final Logger log = LoggerFactory.getLogger(ScriptRunner.class);
  private static final JsonNode NO_EXTRA = JsonNodeFactory.instance.objectNode();

  /** What the runner needs from the node agent, which owns the tree. */
  interface Node {
    ApplicationTree tree();

    /** Stops the running tree and starts {@code release}'s; waits until the new one runs. */
    ApplicationTree restartTree(ReleaseId release);
  }

  record Outcome(int actors, long pauseMaxNanos, long pauseP99Nanos, long pauseP50Nanos, int steps) {}

  private final String install;
  private final ReleaseRegistry registry;
  private final Node node;
  private final Asks asks;
  private final Rehearsal rehearsal;
  private final InstallMode mode;
  private final Consumer<ProgressEvent> events;
  private final Deque<Undo> undo = new ArrayDeque<>();
  private final Map<String, List<ApplicationTree.Host>> suspended = new LinkedHashMap<>();
  private final List<Long> pauses = new ArrayList<>();
  private int actorsChanged;
  private int stepsRun;

  private interface Undo {
    String what();

    void run() throws InstallFailure;
  }

  ScriptRunner(String install, ReleaseRegistry registry, Node node, Asks asks, InstallMode mode,
      Consumer<ProgressEvent> events) {
    this.install = install;
    this.registry = registry;
    this.node = node;
    this.asks = asks;
    this.rehearsal = new Rehearsal(registry, asks, registry.settings().installRehearsalSamples());
    this.mode = mode;
    this.events = events;
  }

  Outcome run(Relup relup) throws InstallFailure {
    boolean committed = false;
    try {
      for (RelupScript hop : relup.hops()) {
        String hopName = hop.from() + "->" + hop.to();
        List<Step> steps = hop.steps();
        for (int i = 0; i < steps.size(); i++) {
          Step step = steps.get(i);
          events.accept(new ProgressEvent(install, hopName, i + 1, steps.size(), step.describe(), ProgressEvent.STARTED,
              0, 0, 0, 0, null));
          long started = System.nanoTime();
          int pausesBefore = pauses.size();
          int actors = execute(hop, step);
          committed |= step instanceof Step.PointOfNoReturn;
          stepsRun++;
          long[] stepPauses = pauses.subList(pausesBefore, pauses.size()).stream().mapToLong(Long::longValue).toArray();
          report(new ProgressEvent(install, hopName, i + 1, steps.size(), step.describe(), ProgressEvent.FINISHED,
              actors, System.nanoTime() - started, max(stepPauses), p99(stepPauses), null));
        }
      }
    } catch (InstallFailure failure) {
      fail(relup, failure, committed);
      throw failure;
    } catch (RuntimeException e) {
      InstallFailure failure = new InstallFailure("install", null, e.toString());
      fail(relup, failure, committed);
      throw failure;
    }
    long[] all = pauses.stream().mapToLong(Long::longValue).toArray();
    return new Outcome(actorsChanged, max(all), p99(all), percentile(all, 0.50), stepsRun);
  }

  // ---- steps ----

  private int execute(RelupScript hop, Step step) throws InstallFailure {
    String name = step.describe();
    if (step instanceof Step.Load load) {
      try {
        registry.load(load.release());
      } catch (InvalidBundleException e) {
        throw new InstallFailure(name, null, e.getMessage());
      }
    } else if (step instanceof Step.Verify verify) {
      return verify(hop, verify, name);
    } else if (step instanceof Step.Warm warm) {
      try {
        registry.warm(warm.release());
      } catch (InvalidBundleException e) {
        throw new InstallFailure(name, null, e.getMessage());
      }
    } else if (step instanceof Step.PointOfNoReturn) {
      log.info("install={} {} -> {}: point of no return", install, hop.from(), hop.to());
    } else if (step instanceof Step.MakeCurrent makeCurrent) {
      makeCurrent(hop, makeCurrent);
    } else if (step instanceof Step.Suspend s) {
      return suspend(s, name);
    } else if (step instanceof Step.ChangeCode c) {
      return changeCode(hop, c, name);
    } else if (step instanceof Step.Resume r) {
      return resume(r, name);
    } else if (step instanceof Step.UpdateSupervisor u) {
      updateSupervisor(u, name);
    } else if (step instanceof Step.StartChild s) {
      supervisorCommand(s.supervisor(), name, r -> new SupervisorCommand.StartChild(s.child(), r));
      undo.push(undo("stop " + s.supervisor() + "/" + s.child(),
          () -> supervisorCommand(s.supervisor(), "undo " + name, r -> new SupervisorCommand.StopChild(s.child(), r))));
    } else if (step instanceof Step.StopChild s) {
      supervisorCommand(s.supervisor(), name, r -> new SupervisorCommand.StopChild(s.child(), r));
      undo.push(undo("restart " + s.supervisor() + "/" + s.child(),
          () -> supervisorCommand(s.supervisor(), "undo " + name, r -> new SupervisorCommand.StartChild(s.child(), r))));
    } else if (step instanceof Step.StopBehaviour s) {
      return stopBehaviour(s, name);
    } else if (step instanceof Step.ApplyHook h) {
      try {
        registry.runHook(h.release(), h.hook());
      } catch (Exception e) {
        throw new InstallFailure(name, null, "hook failed: " + e);
      }
    } else if (step instanceof Step.RestartApplication r) {
      ReleaseId back = hop.from();
      node.restartTree(r.release());
      undo.push(undo("restart the application on " + back, () -> node.restartTree(back)));
      return node.tree().hosts().size();
    }
    return 0;
  }

  /** Both ways must exist; then the migration runs on copies of a few live states. */
  private int verify(RelupScript hop, Step.Verify verify, String name) throws InstallFailure {
    LoadedBehaviour source = behaviour(hop.from(), verify.behaviour(), name);
    LoadedBehaviour target = behaviour(hop.to(), verify.behaviour(), name);
    LoadedBehaviour newer = target.version() > source.version() ? target : source;
    LoadedBehaviour older = newer == target ? source : target;
    if (!newer.migratesUpFrom(older.version()) || !newer.migratesDownTo(older.version())) {
      throw new InstallFailure(name, null, newer + " does not migrate both ways between v" + older.version()
          + " and v" + newer.version() + " (migratesUpFrom=" + newer.migratesUpFrom(older.version())
          + ", migratesDownTo=" + newer.migratesDownTo(older.version()) + ")");
    }
    // The rehearsal passes what the change-code step will pass (null is empty, as in HostCommand).
    JsonNode extra = NO_EXTRA;
    for (Step later : hop.steps()) {
      if (later instanceof Step.ChangeCode c && c.behaviour().equals(verify.behaviour()) && c.extra() != null) {
        extra = c.extra();
      }
    }
    return rehearsal.run(name, node.tree().hosts(verify.behaviour()), source, target, extra);
  }

  private LoadedBehaviour behaviour(ReleaseId release, String behaviour, String step) throws InstallFailure {
    LoadedRelease loaded = registry.find(release)
        .orElseThrow(() -> new InstallFailure(step, null, "release " + release + " is not loaded"));
    return loaded.behaviour(behaviour)
        .orElseThrow(() -> new InstallFailure(step, null, "release " + release + " has no behaviour '" + behaviour + "'"));
  }

  private void makeCurrent(RelupScript hop, Step.MakeCurrent step) {
    // Not on the undo stack: a revert makes the source current before any other undo starts an
    // actor, and moves actors started on the target meanwhile back after all of them.
    registry.makeCurrent(step.release());
  }

  private int suspend(Step.Suspend step, String name) throws InstallFailure {
    if (mode == InstallMode.PIPELINED) {
      return 0;
    }
    int count = 0;
    for (String behaviour : step.behaviours()) {
      List<ApplicationTree.Host> hosts = node.tree().hosts(behaviour);
      // Registered for the undo before asking: a host that suspended before another failed must resume.
      suspended.put(behaviour, hosts);
      undo.push(undo("resume " + behaviour, () -> resumeQuietly(hosts)));
      expectAll(name, hosts, HostReply.Done.class, asks.hosts(hosts, HostCommand.Suspend::new));
      count += hosts.size();
    }
    return count;
  }

  private int changeCode(RelupScript hop, Step.ChangeCode step, String name) throws InstallFailure {
    ReleaseId target = hop.to();
    ReleaseId back = hop.from();
    if (mode == InstallMode.PIPELINED) {
      List<ApplicationTree.Host> hosts = node.tree().hosts(step.behaviour());
      undo.push(undo("swap " + step.behaviour() + " back to " + back, () -> swapBack(hosts, back, true)));
      List<HostReply.Changed> changed = expectAll(name, hosts, HostReply.Changed.class,
          asks.hosts(hosts, r -> new HostCommand.Swap(target, step.extra(), r)));
      changed.forEach(c -> pauses.add(c.migrationNanos()));
      actorsChanged += changed.size();
      return hosts.size();
    }
    List<ApplicationTree.Host> hosts = suspended.getOrDefault(step.behaviour(), List.of());
    undo.push(undo("change " + step.behaviour() + " back to " + back, () -> {
      // The block may have resumed since: suspend again (idempotent); the suspend step's undo resumes.
      expectAll("undo suspend " + step.behaviour(), hosts, HostReply.Done.class, asks.hosts(hosts, HostCommand.Suspend::new));
      swapBack(hosts, back, false);
    }));
    List<HostReply.Changed> changed = expectAll(name, hosts, HostReply.Changed.class,
        asks.hosts(hosts, r -> new HostCommand.ChangeCode(target, step.extra(), r)));
    actorsChanged += changed.size();
    return hosts.size();
  }

  private int resume(Step.Resume step, String name) throws InstallFailure {
    if (mode == InstallMode.PIPELINED) {
      return 0;
    }
    int count = 0;
    for (String behaviour : step.behaviours()) {
      List<ApplicationTree.Host> hosts = suspended.getOrDefault(behaviour, List.of());
      List<HostReply.Done> done = expectAll(name, hosts, HostReply.Done.class, asks.hosts(hosts, HostCommand.Resume::new));
      done.forEach(d -> pauses.add(d.pausedNanos()));
      count += hosts.size();
    }
    return count;
  }

  private void updateSupervisor(Step.UpdateSupervisor step, String name) throws InstallFailure {
    SupervisorReply description = supervisorCommand(step.supervisor(), name, SupervisorCommand.Describe::new);
    SupervisorSpec previous = ((SupervisorReply.Description) description).spec();
    supervisorCommand(step.supervisor(), name, r -> new SupervisorCommand.UpdateSpec(step.spec(), r));
    undo.push(undo("restore the spec of " + step.supervisor(),
        () -> supervisorCommand(step.supervisor(), "undo " + name, r -> new SupervisorCommand.UpdateSpec(previous, r))));
  }

  private int stopBehaviour(Step.StopBehaviour step, String name) throws InstallFailure {
    List<ApplicationTree.Host> hosts = node.tree().hosts(step.behaviour());
    for (ApplicationTree.Host host : hosts) {
      supervisorCommand(host.supervisor(), name, r -> new SupervisorCommand.StopChild(host.child(), r));
    }
    if (!hosts.isEmpty()) {
      log.warn("install={} {}: stopped {} actor(s); a revert does not bring them back", install, name, hosts.size());
    }
    return hosts.size();
  }

  private SupervisorReply supervisorCommand(String supervisor, String step,
      Function<ActorRef<SupervisorReply>, SupervisorCommand> command) throws InstallFailure {
    ActorRef<SupervisorCommand> ref = node.tree().supervisor(supervisor)
        .orElseThrow(() -> new InstallFailure(step, supervisor, "no running supervisor '" + supervisor + "'"));
    Asks.Answer<SupervisorReply> answer = asks.one(ref, supervisor, command);
    if (answer.error() != null) {
      throw new InstallFailure(step, supervisor, answer.error());
    }
    if (answer.reply() instanceof SupervisorReply.Refused refused) {
      throw new InstallFailure(step, supervisor, refused.reason());
    }
    return answer.reply();
  }

  // ---- revert ----

  private void fail(Relup relup, InstallFailure failure, boolean committed) {
    report(new ProgressEvent(install, relup.from() + "->" + relup.to(), 0, 0, failure.step(), ProgressEvent.FAILED, 0, 0,
        0, 0, failure.getMessage() + (committed ? "; reverting" : "; nothing was changed")));
    if (committed) {
      revert(relup, failure);
    }
  }

  private void revert(Relup relup, InstallFailure failure) {
    long started = System.nanoTime();
    log.warn("install={} failed after the point of no return at {}: reverting {} change(s) to stay on {}",
        install, failure.getMessage(), undo.size(), relup.from());
    int failedUndos = 0;
    registry.makeCurrent(relup.from());
    while (!undo.isEmpty()) {
      Undo action = undo.pop();
      try {
        action.run();
      } catch (InstallFailure | RuntimeException e) {
        failedUndos++;
        log.error("install={} revert: '{}' failed: {}", install, action.what(), e.getMessage());
      }
    }
    try {
      moveStragglers(relup.from());
    } catch (InstallFailure | RuntimeException e) {
      failedUndos++;
      log.error("install={} revert: moving actors back to {} failed: {}", install, relup.from(), e.getMessage());
    }
    if (failedUndos == 0) {
      failure.markReverted();
    }
    report(new ProgressEvent(install, relup.from() + "<-" + relup.to(), 0, 0, "revert", ProgressEvent.REVERTED, 0,
        System.nanoTime() - started, 0, 0, failedUndos == 0 ? "node back on " + relup.from()
            : failedUndos + " revert action(s) failed; the node may be partly on " + relup.to() + "; see the log"));
  }

  /** Puts changed hosts back on {@code back}: suspended ones by ChangeCode, running ones by Swap. */
  private void swapBack(List<ApplicationTree.Host> hosts, ReleaseId back, boolean running) throws InstallFailure {
    List<Asks.Answer<HostReply>> answers = running
        ? asks.hosts(hosts, r -> new HostCommand.Swap(back, NO_EXTRA, r))
        : asks.hosts(hosts, r -> new HostCommand.ChangeCode(back, NO_EXTRA, r));
    List<String> failed = new ArrayList<>();
    for (Asks.Answer<HostReply> answer : answers) {
      if (answer.error() != null) {
        failed.add(answer.target() + ": " + answer.error());
      } else if (answer.reply() instanceof HostReply.Failed f) {
        if (running && f.cause().contains("is suspended")) {
          continue; // Suspended by this install: the ChangeCode undo of the barrier path handles it.
        }
        failed.add(answer.target() + ": " + f.cause());
      }
    }
    if (!failed.isEmpty()) {
      throw new InstallFailure("revert", failed.get(0), failed.size() + " actor(s) could not go back: " + failed);
    }
  }

  /** Every actor not on {@code back} (started on a target while it was current) goes back too. */
  private void moveStragglers(ReleaseId back) throws InstallFailure {
    List<ApplicationTree.Host> all = node.tree().hosts();
    List<Asks.Answer<HostReply>> statuses = asks.hosts(all, HostCommand.GetStatus::new);
    List<ApplicationTree.Host> running = new ArrayList<>();
    List<ApplicationTree.Host> suspendedOnes = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (statuses.get(i).reply() instanceof HostReply.Status status && !status.release().equals(back)) {
        (status.suspended() ? suspendedOnes : running).add(all.get(i));
      }
    }
    swapBack(running, back, true);
    swapBack(suspendedOnes, back, false);
  }

  private void resumeQuietly(List<ApplicationTree.Host> hosts) {
    for (Asks.Answer<HostReply> answer : asks.hosts(hosts, HostCommand.Resume::new)) {
      if (answer.error() != null) {
        log.error("install={} revert: {} did not resume: {}", install, answer.target(), answer.error());
      }
    }
  }

  // ---- helpers ----


  /**
   * Every reply of the expected kind, or the first failure, naming its actor. An actor that left
   * the tree meanwhile (stopped normally, or replaced by its supervisor's restart on the current
   * release) has nothing left to change and is skipped.
   */
  private <T extends HostReply> List<T> expectAll(String step, List<ApplicationTree.Host> hosts, Class<T> expected,
      List<Asks.Answer<HostReply>> answers) throws InstallFailure {
    List<T> replies = new ArrayList<>(answers.size());
    for (int i = 0; i < answers.size(); i++) {
      Asks.Answer<HostReply> answer = answers.get(i);
      if (answer.error() != null) {
        ApplicationTree.Host host = hosts.get(i);
        boolean gone = node.tree().host(host.supervisor(), host.child()).map(h -> !h.ref().equals(host.ref())).orElse(true);
        if (gone) {
          log.info("install={} {}: {} stopped during the step; skipped", install, step, host.path());
          continue;
        }
        throw new InstallFailure(step, answer.target(), answer.error());
      }
      if (answer.reply() instanceof HostReply.Failed failed) {
        throw new InstallFailure(step, answer.target(), failed.cause());
      }
      if (!expected.isInstance(answer.reply())) {
        throw new InstallFailure(step, answer.target(), "unexpected reply " + answer.reply());
      }
      replies.add(expected.cast(answer.reply()));
    }
    return replies;
  }

  private void report(ProgressEvent event) {
    if (ProgressEvent.FINISHED.equals(event.phase())) {
      log.info("install={} hop={} step={}/{} op=\"{}\" actors={} took={}ms{}", event.install(), event.hop(),
          event.step(), event.steps(), event.description(), event.actors(), millis(event.tookNanos()),
          event.pauseMaxNanos() > 0
              ? " pause.max=" + micros(event.pauseMaxNanos()) + "us pause.p99=" + micros(event.pauseP99Nanos()) + "us"
              : "");
    } else {
      log.warn("install={} {} {}: {}", event.install(), event.hop(), event.phase(), event.detail());
    }
    events.accept(event);
  }

  private static Undo undo(String what, UndoBody body) {
    return new Undo() {
      public String what() {
        return what;
      }

      public void run() throws InstallFailure {
        body.run();
      }
    };
  }

  private interface UndoBody {
    void run() throws InstallFailure;
  }

  static long max(long[] values) {
    return Arrays.stream(values).max().orElse(0);
  }

  static long p99(long[] values) {
    return percentile(values, 0.99);
  }

  static long percentile(long[] values, double fraction) {
    if (values.length == 0) {
      return 0;
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * fraction) - 1))];
  }

  private static String millis(long nanos) {
    return String.format("%.1f", nanos / 1e6);
  }

  private static String micros(long nanos) {
    return String.valueOf(nanos / 1000);
  }
}
