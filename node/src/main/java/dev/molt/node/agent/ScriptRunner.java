package dev.molt.node.agent;

import dev.molt.node.host.Causes;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.node.release.InvalidBundleException;
import dev.molt.node.release.LoadedBehaviour;
import dev.molt.node.release.LoadedRelease;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.entity.Entities;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.node.supervision.SupervisorCommand;
import dev.molt.node.supervision.SupervisorReply;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.release.ReleaseId;
import dev.molt.protocol.release.SupervisorSpec;
import dev.molt.protocol.relup.Relup;
import dev.molt.protocol.relup.RelupScript;
import dev.molt.protocol.relup.Step;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a compiled plan on this node (OTP's {@code release_handler_1:eval_script}), on the install
 * thread, hop by hop, each hop in two phases split at its point of no return:
 * <ul>
 *   <li>{@link #prepare}: only steps that change nothing the node serves (load, the author's hooks
 *       written before the point of no return, verify, warm); a failure here leaves the node as it
 *       was.
 *   <li>{@link #commit}: every step that changed something records its undo in the
 *       {@link UndoJournal}; a failure unwinds it, so each actor goes back to its previous code and
 *       state, supervisors to their previous spec, and the node keeps serving the release it ran
 *       before.
 * </ul>
 * Actors of a step are asked in parallel; each step has a timeout.
 */
final class ScriptRunner {
  private static final Logger log = LoggerFactory.getLogger(ScriptRunner.class);

  /** What the runner needs from the node agent, which owns the tree. */
  interface Node {
    ApplicationTree tree();

    /**
     * Stops the running tree and starts {@code release}'s; waits until the new one runs. The node's
     * entities are passivated with it: each starts again on its next message, on the current release.
     */
    ApplicationTree restartTree(ReleaseId release);

    /** Starts {@code application} as {@code release} declares it; returns once its static children started. */
    void startApplication(String application, ReleaseId release, String step) throws InstallFailure;

    /** Stops {@code application}; returns once its tree is gone. */
    void stopApplication(String application, String step) throws InstallFailure;
  }

  record Outcome(int actors, long pauseMaxNanos, long pauseP99Nanos, long pauseP50Nanos, int steps) {}

  private final String install;
  private final ReleaseRegistry registry;
  private final Node node;
  private final Asks asks;
  private final Rehearsal rehearsal;
  private final InstallProgress progress;
  private final UndoJournal journal;
  private final PauseStats pauses = new PauseStats();
  private final HostSteps hosts;
  /** Set once the first hop passed its point of no return: from then on a failure reverts. */
  private boolean committed;
  private int stepsRun;

  ScriptRunner(String install, ReleaseRegistry registry, Node node, Asks asks, InstallMode mode,
      Consumer<ProgressEvent> events) {
    this.install = install;
    this.registry = registry;
    this.node = node;
    this.asks = asks;
    this.rehearsal = new Rehearsal(registry, asks, registry.settings().installRehearsalSamples());
    this.progress = new InstallProgress(install, events);
    this.journal = new UndoJournal(install);
    this.hosts = new HostSteps(install, registry, node::tree, asks, mode, journal, pauses);
  }

  Outcome run(Relup relup) throws InstallFailure {
    try {
      for (RelupScript hop : relup.hops()) {
        List<Step> prepare = hop.prepare();
        runSteps(hop, prepare, 0, this::prepare);
        passPointOfNoReturn(hop, prepare.size() + 1);
        runSteps(hop, hop.commit(), prepare.size() + 1, this::commit);
      }
      FinalTreeCheck.verify(install, node.tree(), asks, registry.find(relup.to()).orElseThrow());
    } catch (InstallFailure failure) {
      fail(relup, failure);
      throw failure;
    } catch (RuntimeException e) {
      InstallFailure failure = new InstallFailure("install", null, e.toString());
      fail(relup, failure);
      throw failure;
    }
    PauseStats.Summary all = pauses.all();
    return new Outcome(hosts.actorsChanged(), all.max(), all.p99(), all.p50(), stepsRun);
  }

  /** The per-actor pauses of the install so far, in nanoseconds (the node's pause histogram). */
  long[] pauseNanos() {
    return pauses.values();
  }

  /** Runs one step and tells how many actors it touched. */
  private interface StepRunner {
    int run(RelupScript hop, Step step, String name) throws InstallFailure;
  }

  private void runSteps(RelupScript hop, List<Step> steps, int offset, StepRunner runner) throws InstallFailure {
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      int number = offset + i + 1;
      progress.started(hop, number, step.describe());
      long started = System.nanoTime();
      int mark = pauses.mark();
      int actors = runner.run(hop, step, step.describe());
      stepsRun++;
      progress.finished(hop, number, step.describe(), actors, System.nanoTime() - started, pauses.since(mark));
    }
  }

  private void passPointOfNoReturn(RelupScript hop, int number) {
    String name = new Step.PointOfNoReturn().describe();
    progress.started(hop, number, name);
    log.info("install={} {} -> {}: point of no return", install, hop.from(), hop.to());
    committed = true;
    stepsRun++;
    progress.finished(hop, number, name, 0, 0, PauseStats.Summary.NONE);
  }

  // ---- before the point of no return: nothing the node serves changes ----

  private int prepare(RelupScript hop, Step step, String name) throws InstallFailure {
    try {
      if (step instanceof Step.Load load) {
        registry.load(load.release());
      } else if (step instanceof Step.Verify verify) {
        return verify(hop, verify, name);
      } else if (step instanceof Step.Warm warm) {
        registry.warm(warm.release());
      } else if (step instanceof Step.ApplyHook hook) {
        // Written before the point-of-no-return instruction: nothing changed yet, nothing to undo.
        runHook(hook, name);
      } else {
        throw new IllegalStateException("'" + name + "' changes the node and cannot come before the point of no return");
      }
    } catch (InvalidBundleException e) {
      throw new InstallFailure(name, null, e.getMessage());
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
    JsonNode extra = HostSteps.NO_EXTRA;
    for (Step later : hop.commit()) {
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

  // ---- after the point of no return: every change is journaled ----

  private int commit(RelupScript hop, Step step, String name) throws InstallFailure {
    if (step instanceof Step.MakeCurrent makeCurrent) {
      // Not journaled: a revert makes the source current before any other undo starts an actor,
      // and moves actors started on the target meanwhile back after all of them.
      registry.makeCurrent(makeCurrent.release());
    } else if (step instanceof Step.Suspend s) {
      return hosts.suspend(s, name);
    } else if (step instanceof Step.ChangeCode c) {
      return hosts.changeCode(hop, c, resumesRightAfter(hop, c), name);
    } else if (step instanceof Step.Resume r) {
      return hosts.resume(r, name);
    } else if (step instanceof Step.UpdateSupervisor u) {
      updateSupervisor(u, name);
    } else if (step instanceof Step.StartChild s) {
      supervisorCommand(s.supervisor(), name, r -> new SupervisorCommand.StartChild(s.child(), r));
      journal.record("stop " + s.supervisor() + "/" + s.child(),
          () -> supervisorCommand(s.supervisor(), "undo " + name, r -> new SupervisorCommand.StopChild(s.child(), r)));
    } else if (step instanceof Step.StopChild s) {
      supervisorCommand(s.supervisor(), name, r -> new SupervisorCommand.StopChild(s.child(), r));
      journal.record("restart " + s.supervisor() + "/" + s.child(),
          () -> supervisorCommand(s.supervisor(), "undo " + name, r -> new SupervisorCommand.StartChild(s.child(), r)));
    } else if (step instanceof Step.StopBehaviour s) {
      return stopBehaviour(s, name);
    } else if (step instanceof Step.ApplyHook hook) {
      runHook(hook, name);
    } else if (step instanceof Step.StartApplication s) {
      node.startApplication(s.application(), s.release(), name);
      journal.record("stop application " + s.application(), () -> node.stopApplication(s.application(), "undo " + name));
      return node.tree().hosts().size();
    } else if (step instanceof Step.StopApplication s) {
      ReleaseId back = hop.from();
      node.stopApplication(s.application(), name);
      journal.record("start application " + s.application() + " on " + back,
          () -> node.startApplication(s.application(), back, "undo " + name));
    } else if (step instanceof Step.RestartApplication r) {
      ReleaseId back = hop.from();
      node.restartTree(r.release());
      journal.record("restart the application on " + back, () -> node.restartTree(back));
      return node.tree().hosts().size();
    } else {
      throw new IllegalStateException("'" + name + "' belongs before the point of no return");
    }
    return 0;
  }

  /**
   * Whether this change can resume its behaviour's hosts in its own message (two fan-outs, not
   * three): only when the very next step is the Resume and it resumes this behaviour first, i.e.
   * a block of one, or a downgrade block's last change. Then every change of the block has
   * succeeded and the compiler's resume order is kept. Folding it into an earlier change of a block
   * would let that behaviour serve on new code while a later change may still fail, and the
   * revert would not be exact.
   */
  static boolean resumesRightAfter(RelupScript hop, Step.ChangeCode step) {
    List<Step> steps = hop.commit();
    int at = 0;
    while (at < steps.size() && steps.get(at) != step) {
      at++;
    }
    return at + 1 < steps.size() && steps.get(at + 1) instanceof Step.Resume resume && !resume.behaviours().isEmpty()
        && resume.behaviours().get(0).equals(step.behaviour());
  }

  /** The hook of the release that declares it (the newer one, on a downgrade the one being left). */
  private void runHook(Step.ApplyHook hook, String name) throws InstallFailure {
    // InstallProgress logs the step with its timing; a failure names the hook and its release.
    try {
      registry.runHook(hook.release(), hook.hook());
    } catch (Exception e) {
      throw new InstallFailure(name, null, "hook '" + hook.hook() + "' of " + hook.release() + " failed: " + Causes.describe(e));
    }
  }

  private void updateSupervisor(Step.UpdateSupervisor step, String name) throws InstallFailure {
    SupervisorReply description = supervisorCommand(step.supervisor(), name, SupervisorCommand.Describe::new);
    SupervisorSpec previous = ((SupervisorReply.Description) description).spec();
    supervisorCommand(step.supervisor(), name, r -> new SupervisorCommand.UpdateSpec(step.spec(), r));
    journal.record("restore the spec of " + step.supervisor(),
        () -> supervisorCommand(step.supervisor(), "undo " + name, r -> new SupervisorCommand.UpdateSpec(previous, r)));
  }

  private int stopBehaviour(Step.StopBehaviour step, String name) throws InstallFailure {
    List<ApplicationTree.Host> stopped = node.tree().hosts(step.behaviour());
    for (ApplicationTree.Host host : stopped) {
      if (Entities.isEntity(host)) {
        // No supervisor: passivated through its shard, which starts it again on its next message
        // (refused if the type went with the behaviour).
        Entities.passivate(host);
      } else {
        supervisorCommand(host.supervisor(), name, r -> new SupervisorCommand.StopChild(host.child(), r));
      }
    }
    if (!stopped.isEmpty()) {
      log.warn("install={} {}: stopped {} actor(s); a revert does not bring them back", install, name, stopped.size());
    }
    return stopped.size();
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

  // ---- failure ----

  private void fail(Relup relup, InstallFailure failure) {
    progress.failed(relup.from() + "->" + relup.to(), failure.step(),
        failure.getMessage() + (committed ? "; reverting" : "; nothing was changed"));
    if (committed) {
      revert(relup, failure);
    }
  }

  private void revert(Relup relup, InstallFailure failure) {
    long started = System.nanoTime();
    log.warn("install={} failed after the point of no return at {}: reverting {} change(s) to stay on {}",
        install, failure.getMessage(), journal.size(), relup.from());
    registry.makeCurrent(relup.from());
    int failedUndos = journal.unwind();
    try {
      hosts.moveStragglers(relup.from());
    } catch (InstallFailure | RuntimeException e) {
      failedUndos++;
      log.error("install={} revert: moving actors back to {} failed: {}", install, relup.from(), e.getMessage());
    }
    if (failedUndos == 0) {
      failure.markReverted();
    }
    progress.reverted(relup.from() + "<-" + relup.to(), System.nanoTime() - started, failedUndos == 0
        ? "node back on " + relup.from()
        : failedUndos + " revert action(s) failed; the node may be partly on " + relup.to() + "; see the log");
  }
}
