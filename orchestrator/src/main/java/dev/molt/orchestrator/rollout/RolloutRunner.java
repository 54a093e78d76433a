package dev.molt.orchestrator.rollout;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.molt.node.cluster.NodeName;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Command;
import dev.molt.orchestrator.rollout.RunnerProtocol.AfterBatch;
import dev.molt.orchestrator.rollout.RunnerProtocol.AgentsNow;
import dev.molt.orchestrator.rollout.RunnerProtocol.Fresh;
import dev.molt.orchestrator.rollout.RunnerProtocol.GateStatuses;
import dev.molt.orchestrator.rollout.RunnerProtocol.Msg;
import dev.molt.orchestrator.rollout.RunnerProtocol.NextBatch;
import dev.molt.orchestrator.rollout.RunnerProtocol.NodeInstalled;
import dev.molt.orchestrator.rollout.RunnerProtocol.RollBack;
import dev.molt.orchestrator.rollout.RunnerProtocol.RunControl;
import dev.molt.orchestrator.rollout.RunnerProtocol.Start;
import dev.molt.orchestrator.rollout.RunnerProtocol.Transferred;
import dev.molt.protocol.control.AgentRequest;
import dev.molt.protocol.control.ControlMessages.InstallRequest;
import dev.molt.protocol.control.ControlMessages.InstallResult;
import dev.molt.protocol.control.ControlMessages.SendBundle;
import dev.molt.protocol.control.ControlMessages.TransferResult;
import dev.molt.protocol.release.ReleaseId;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One rollout, as a child of the orchestrator shell, with one behaviour per phase: {@code
 * distributing}, {@code rolling} (a batch installing), {@code gating}, {@code waiting} (between
 * batches), {@code paused}, and in classes of their own {@link Recovering} (a new singleton asks
 * where the nodes are), {@link ConfirmingFloor}, {@link RollingBack} and {@link MakingPermanent}.
 * A reply that does not belong to the phase is unhandled. Each change of the rollout goes to the
 * shell, which shows it and keeps it in Distributed Data.
 *
 * <p>Membership: a node that owes the phase a step fails it at once when downed or removed, and
 * after {@code molt.orchestrator.unreachable-wait} when unreachable.
 */
final class RolloutRunner {
  private static final Set<ControlAction> WHILE_RUNNING = EnumSet.of(ControlAction.PAUSE, ControlAction.ABORT, ControlAction.ROLLBACK);
  private static final Set<ControlAction> WHILE_PAUSED = EnumSet.of(ControlAction.RESUME, ControlAction.PROMOTE,
      ControlAction.ABORT, ControlAction.ROLLBACK);

  /** The timer of the pause between batches, cancelled when a pause, rollback or abort comes first. */
  private static final Object NEXT_BATCH = "next-batch";

  private final RunState run;

  private RolloutRunner(RunState run) {
    this.run = run;
  }

  static Behavior<Msg> create(Rollout rollout, Start start, Map<String, ActorRef<AgentRequest>> agents,
      Set<String> unreachable, ActorRef<Command> shell, ActorRef<SchemaFloorWriter.Message> floorWriter,
      OrchestratorSettings settings) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      context.setLoggerName(RolloutRunner.class); // its phases live in several classes; one logger for the rollout
      RunState run = new RunState(context, timers, shell, floorWriter, settings, rollout, agents, unreachable);
      RolloutRunner runner = new RolloutRunner(run);
      if (start instanceof Fresh fresh) {
        run.baseline.putAll(fresh.baseline());
        return fresh.receivers().isEmpty() ? runner.beginRolling() : runner.transfer(fresh.holder(), fresh.receivers());
      }
      if (start instanceof RollBack) {
        return new RollingBack(run).next();
      }
      return new Recovering(run, runner).start();
    }));
  }

  // ---- distributing ----

  /** The rollout's bundle transfer; membership fails it when the holder or a receiver is gone. */
  Behavior<Msg> transfer(String holder, List<ActorRef<AgentRequest>> receivers) {
    Set<String> transferring = new TreeSet<>(List.of(holder));
    receivers.forEach(ref -> transferring.add(NodeName.of(ref, run.context.getSystem())));
    ReleaseId release = run.rollout.target();
    run.context.ask(TransferResult.class, run.agents.get(holder), run.settings.install(),
        r -> new SendBundle(release, receivers, r), Transferred::new);
    return distributing(transferring, AfterBatch.CONTINUE);
  }

  private Behavior<Msg> distributing(Set<String> transferring, AfterBatch after) {
    return Behaviors.receive(Msg.class)
        .onMessage(AgentsNow.class, run::onAgents)
        .onMessage(Transferred.class, t -> transferred(t, after))
        .onMessage(MembershipEvent.class, e -> {
          String failed = run.stepFailure(e, transferring, "bundle transfer");
          return failed == null ? Behaviors.same() : distributionFailed(failed);
        })
        .onMessage(RunControl.class, c -> run.control(c, WHILE_RUNNING, Behaviors.same(),
            a -> requested(a, next -> distributing(transferring, next))))
        .build();
  }

  private Behavior<Msg> transferred(Transferred t, AfterBatch after) {
    if (t.failure() != null || !t.result().failed().isEmpty()) {
      return distributionFailed(t.failure() != null ? t.failure().getMessage() : String.join("; ", t.result().failed()));
    }
    run.context.getLog().info("rollout={} step=distribute release={} stored={}", run.rollout.id(), run.rollout.target(),
        t.result().stored());
    run.update(run.rollout.withPhase(RolloutPhase.ROLLING));
    return runBatch(after);
  }

  private Behavior<Msg> distributionFailed(String why) {
    run.context.getLog().error("rollout={} step=distribute failed: {}", run.rollout.id(), why);
    return run.finish(run.rollout.withError("distribution failed: " + why).withPhase(RolloutPhase.FAILED));
  }

  // ---- rolling a batch ----

  Behavior<Msg> beginRolling() {
    run.update(run.rollout.withPhase(RolloutPhase.ROLLING));
    return runBatch(AfterBatch.CONTINUE);
  }

  Behavior<Msg> runBatch(AfterBatch after) {
    Rollout rollout = run.rollout;
    if (rollout.batch() >= rollout.batches().size()) {
      return MakingPermanent.start(run);
    }
    List<String> batch = rollout.batches().get(rollout.batch());
    // A node already upgraded (e.g. the old singleton's node, killed after its install) is not "lost before its batch".
    List<String> gone = batch.stream().filter(n -> !run.agents.containsKey(n)
        && !rollout.target().equals(rollout.previous().get(n)) && !Recovery.installed(rollout, n)).toList();
    if (!gone.isEmpty()) {
      // A node died (or left) before its turn: stop, and roll back or wait for a human, per spec.
      String why = "node(s) " + gone + " left the cluster before their batch";
      run.context.getLog().warn("rollout={} step=node-lost nodes={} action={}", rollout.id(), gone,
          rollout.spec().autoRollback() ? "rollback" : "pause");
      if (rollout.spec().autoRollback()) {
        return new RollingBack(run).start(rollout.withError(why));
      }
      run.update(rollout.withError(why).withPhase(RolloutPhase.PAUSED));
      return paused();
    }
    // Every node writes for the oldest release before this batch makes the cluster (more) mixed.
    // A pause or rollback asked during the distribution or the floor step applies before the batch installs.
    return ConfirmingFloor.confirm(run, WHILE_RUNNING, after, next -> switch (next) {
      case CONTINUE -> install(batch);
      case PAUSE -> beforeBatch(ControlAction.PAUSE);
      case ROLL_BACK -> beforeBatch(ControlAction.ROLLBACK);
    }, this::onFailure);
  }

  private Behavior<Msg> install(List<String> batch) {
    Rollout rollout = run.rollout;
    Map<String, ActorRef<AgentRequest>> targets = new TreeMap<>();
    for (String node : batch) {
      if (rollout.target().equals(rollout.previous().get(node))) {
        run.update(run.rollout.withNode(new NodeOutcome(node, NodeOutcome.Action.INSTALL, NodeOutcome.Status.UNCHANGED, rollout.target(), rollout.target(),
            0, 0, 0, 0, null)));
      } else if (!Recovery.installed(rollout, node)) {
        targets.put(node, run.agents.get(node));
      }
    }
    int index = rollout.batch();
    BatchSteps steps = new BatchSteps(index, targets.keySet());
    targets.forEach((node, agent) -> {
      run.context.ask(InstallResult.class, agent, run.settings.install(),
          r -> new InstallRequest(rollout.target(), rollout.spec().mode(), r),
          (result, failure) -> new NodeInstalled(index, node, result, failure));
      if (run.unreachable.contains(node)) {
        run.waitFor(node);
      }
    });
    return steps.done() ? batchInstalled(steps, AfterBatch.CONTINUE) : rolling(steps, AfterBatch.CONTINUE);
  }

  private Behavior<Msg> rolling(BatchSteps steps, AfterBatch after) {
    return Behaviors.receive(Msg.class)
        .onMessage(AgentsNow.class, run::onAgents)
        .onMessage(NodeInstalled.class, n -> n.batch() == steps.batch, n -> {
          if (n.failure() != null) {
            run.context.getLog().error("rollout={} node={} step=install failed: no answer: {}", run.rollout.id(), n.node(),
                n.failure().getMessage());
          }
          boolean counted = n.failure() == null ? steps.answered(n.node(), n.result())
              : steps.failed(n.node(), BatchSteps.Lost.NO_ANSWER, "no answer: " + n.failure().getMessage());
          return counted && steps.done() ? batchInstalled(steps, after) : Behaviors.same();
        })
        .onMessage(MembershipEvent.class, e -> {
          String failed = run.stepFailure(e, steps.pendingNodes(), "install");
          if (failed != null) {
            steps.failed(e.node(), BatchSteps.Lost.MEMBERSHIP, failed);
          }
          return failed != null && steps.done() ? batchInstalled(steps, after) : Behaviors.same();
        })
        .onMessage(RunControl.class, c -> run.control(c, WHILE_RUNNING, Behaviors.same(),
            a -> requested(a, next -> rolling(steps, next))))
        .build();
  }

  private Behavior<Msg> batchInstalled(BatchSteps b, AfterBatch after) {
    BatchResults results = BatchResults.of(run.rollout, b, run.context.getLog());
    Rollout rollout = results.rollout();
    run.update(rollout);
    String failure = results.failure();
    if (failure != null && results.membership() && !rollout.spec().autoRollback()) {
      run.context.getLog().warn("rollout={} step=pause reason=\"{}\": waiting for a human (resume, rollback or abort)",
          rollout.id(), failure);
      run.update(rollout.withError(failure).withPhase(RolloutPhase.PAUSED));
      return paused();
    }
    if (failure != null) {
      return onFailure(failure);
    }
    if (after == AfterBatch.ROLL_BACK) {
      run.context.getLog().warn("rollout={} step=rollback requested during the batch; rolling back now", rollout.id());
      return new RollingBack(run).start(rollout.withError("rolled back by request"));
    }
    run.gatherStatuses(run.agentsOf(rollout.batches().get(b.batch)), g -> new GateStatuses(b.batch, g));
    return gating(b.batch, after);
  }

  // ---- gating ----

  /** Health gate ({@link HealthGate}): each node of the batch ready, on the target, its error counters not rising. */
  private Behavior<Msg> gating(int batch, AfterBatch after) {
    return Behaviors.receive(Msg.class)
        .onMessage(AgentsNow.class, run::onAgents)
        .onMessage(GateStatuses.class, g -> g.batch() == batch, g -> gated(g, after))
        .onMessage(MembershipEvent.class, run::onMembership)
        .onMessage(RunControl.class, c -> run.control(c, WHILE_RUNNING, Behaviors.same(),
            a -> requested(a, next -> gating(batch, next))))
        .build();
  }

  private Behavior<Msg> gated(GateStatuses g, AfterBatch after) {
    Rollout rollout = run.rollout;
    List<String> problems = HealthGate.problems(rollout.batches().get(g.batch()), rollout.target(), g.statuses(), run.baseline);
    String position = (g.batch() + 1) + "/" + rollout.batches().size();
    if (!problems.isEmpty()) {
      run.context.getLog().error("rollout={} step=gate batch={} failed: {}", rollout.id(), position, problems);
      return onFailure("health gate after batch " + position + ": " + String.join("; ", problems));
    }
    run.context.getLog().info("rollout={} step=gate batch={} nodes={} ok", rollout.id(), position,
        g.statuses().answers().keySet());
    Rollout next = rollout.withBatch(g.batch() + 1);
    boolean more = next.batch() < next.batches().size();
    boolean canary = rollout.spec().canary() && g.batch() == 0;
    if (more && (after == AfterBatch.PAUSE || canary)) {
      run.update(next.withPhase(RolloutPhase.PAUSED));
      run.context.getLog().info("rollout={} step=pause batch={} reason={}", rollout.id(), position,
          canary ? "canary: waiting for promote" : "paused by request");
      return paused();
    }
    run.update(next);
    if (after == AfterBatch.ROLL_BACK) {
      run.context.getLog().warn("rollout={} step=rollback requested during the gate; rolling back now", rollout.id());
      return new RollingBack(run).start(next.withError("rolled back by request"));
    }
    if (more && rollout.spec().pauseBetweenBatchesMillis() > 0) {
      run.timers.startSingleTimer(NEXT_BATCH, new NextBatch(), Duration.ofMillis(rollout.spec().pauseBetweenBatchesMillis()));
      return waiting();
    }
    return runBatch(AfterBatch.CONTINUE);
  }

  /** Between batches ({@code pauseBetweenBatches}): no batch runs, so a pause or rollback applies at once. */
  private Behavior<Msg> waiting() {
    return Behaviors.receive(Msg.class)
        .onMessage(AgentsNow.class, run::onAgents)
        .onMessage(NextBatch.class, n -> runBatch(AfterBatch.CONTINUE))
        .onMessage(MembershipEvent.class, run::onMembership)
        .onMessage(RunControl.class, c -> run.control(c, WHILE_RUNNING, Behaviors.same(), this::beforeBatch))
        .build();
  }

  /** A pause, rollback or abort before the next batch installs: it applies at once. */
  private Behavior<Msg> beforeBatch(ControlAction action) {
    run.timers.cancel(NEXT_BATCH);
    Rollout rollout = run.rollout;
    return switch (action) {
      case PAUSE -> {
        run.update(rollout.withPhase(RolloutPhase.PAUSED));
        run.context.getLog().info("rollout={} step=pause batch={}/{} reason=paused by request before the batch", rollout.id(), rollout.batch() + 1, rollout.batches().size());
        yield paused();
      }
      case ROLLBACK -> {
        run.context.getLog().warn("rollout={} step=rollback requested before batch {}", rollout.id(), rollout.batch() + 1);
        yield new RollingBack(run).start(rollout.withError("rolled back by request"));
      }
      default -> run.abort();
    };
  }

  Behavior<Msg> onFailure(String why) {
    Rollout failed = run.rollout.withError(why);
    if (failed.spec().autoRollback()) {
      run.context.getLog().warn("rollout={} step=rollback reason=\"{}\" nodes={}", failed.id(), why,
          RollingBack.reversed(failed.toRollBack()));
      return new RollingBack(run).start(failed);
    }
    run.context.getLog().error("rollout={} step=halt reason=\"{}\": waiting for a human (rollback or abort)", failed.id(), why);
    return run.finish(failed.withPhase(RolloutPhase.FAILED));
  }

  // ---- paused (canary, by request, or a node lost) ----

  Behavior<Msg> paused() {
    return Behaviors.receive(Msg.class)
        .onMessage(AgentsNow.class, run::onAgents)
        .onMessage(MembershipEvent.class, run::onMembership)
        .onMessage(RunControl.class, c -> run.control(c, WHILE_PAUSED, Behaviors.same(), action -> switch (action) {
          case RESUME, PROMOTE -> {
            run.context.getLog().info("rollout={} step={}", run.rollout.id(), action);
            run.update(run.rollout.withPhase(RolloutPhase.ROLLING));
            yield runBatch(AfterBatch.CONTINUE);
          }
          case ROLLBACK -> {
            run.context.getLog().warn("rollout={} step=rollback requested", run.rollout.id());
            yield new RollingBack(run).start(run.rollout.withError("rolled back by request"));
          }
          default -> run.abort();
        }))
        .build();
  }

  /** Pause, rollback or abort while a step runs: the first two apply when the batch ends. */
  private Behavior<Msg> requested(ControlAction action, Function<AfterBatch, Behavior<Msg>> phase) {
    return switch (action) {
      case PAUSE -> {
        run.context.getLog().info("rollout={} step=pause-requested: pauses after the running batch", run.rollout.id());
        yield phase.apply(AfterBatch.PAUSE);
      }
      case ROLLBACK -> {
        run.context.getLog().warn("rollout={} step=rollback-requested: after the running batch", run.rollout.id());
        yield phase.apply(AfterBatch.ROLL_BACK);
      }
      default -> run.abort();
    };
  }
}
