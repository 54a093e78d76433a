package dev.molt.orchestrator.rollout;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Command;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Problem;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.RolloutView;
import dev.molt.orchestrator.rollout.RunnerProtocol.Finished;
import dev.molt.orchestrator.rollout.RunnerProtocol.Msg;
import dev.molt.orchestrator.rollout.RunnerProtocol.Progress;
import dev.molt.orchestrator.rollout.RunnerProtocol.RunControl;
import dev.molt.protocol.control.AgentRequest;
import dev.molt.protocol.control.ControlMessages.Ack;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.control.ControlMessages.StatusRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What every phase of one {@link RolloutRunner} shares: the rollout (reported to the shell on each
 * change), the agents, what membership said, the health baseline, and the helpers the phases use.
 */
final class RunState {
  final ActorContext<Msg> context;
  final TimerScheduler<Msg> timers;
  final ActorRef<Command> shell;
  final OrchestratorSettings settings;
  Rollout rollout;
  Map<String, ActorRef<AgentRequest>> agents;
  final Set<String> unreachable;
  final Map<String, NodeStatus> baseline = new HashMap<>();
  final ActorRef<SchemaFloorWriter.Message> floorWriter;
  /** The write schema floor this runner confirmed ({@link ConfirmingFloor}), null before the first. */
  dev.molt.protocol.release.ReleaseId floorConfirmed;
  /** The nodes that confirmed {@link #floorConfirmed}; a node gone from the cluster is forgotten. */
  final Set<String> floorConfirmedOn = new TreeSet<>();

  RunState(ActorContext<Msg> context, TimerScheduler<Msg> timers, ActorRef<Command> shell,
      ActorRef<SchemaFloorWriter.Message> floorWriter, OrchestratorSettings settings, Rollout rollout,
      Map<String, ActorRef<AgentRequest>> agents, Set<String> unreachable) {
    this.context = context;
    this.timers = timers;
    this.shell = shell;
    this.floorWriter = floorWriter;
    this.settings = settings;
    this.rollout = rollout;
    this.agents = new TreeMap<>(agents);
    this.unreachable = new TreeSet<>(unreachable);
  }

  /** Keeps {@code next} as the rollout and tells the shell (which shows and persists it). */
  void update(Rollout next) {
    rollout = next;
    shell.tell(new Progress(next));
  }

  /** The rollout ends in its (final) phase: the shell hears it, the runner stops. */
  Behavior<Msg> finish(Rollout last) {
    rollout = last;
    shell.tell(new Finished(last));
    return Behaviors.stopped();
  }

  /** Abort: the rollout ends where it is; nothing more is asked of the nodes. */
  Behavior<Msg> abort() {
    context.getLog().warn("rollout={} step=abort: nodes stay where they are", rollout.id());
    return finish(rollout.withPhase(RolloutPhase.ABORTED));
  }

  /**
   * Membership bookkeeping every phase does first: which nodes are unreachable, and a gone node's
   * agent forgotten (a restarted node comes back through the Receptionist).
   */
  void track(MembershipEvent event) {
    String node = event.node();
    if (event instanceof MembershipEvent.Unreachable) {
      unreachable.add(node);
    } else if (event instanceof MembershipEvent.Reachable && unreachable.remove(node)) {
      timers.cancel(waitKey(node));
    } else if (event instanceof MembershipEvent.Gone) {
      agents.remove(node);
      floorConfirmedOn.remove(node); // a restarted JVM under the same name is a new member
      unreachable.remove(node);
      timers.cancel(waitKey(node));
    }
  }

  /** The agents the Receptionist lists now, in any phase. */
  Behavior<Msg> onAgents(RunnerProtocol.AgentsNow now) {
    agents = new TreeMap<>(now.agents());
    return Behaviors.same();
  }

  /** Membership in a phase where no node owes a step. */
  Behavior<Msg> onMembership(MembershipEvent event) {
    track(event);
    return Behaviors.same();
  }

  /**
   * Membership for a phase whose steps {@code owing} nodes owe: the reason the node's step fails
   * now (gone, or unreachable past the wait), or null.
   */
  String stepFailure(MembershipEvent event, Set<String> owing, String step) {
    track(event);
    String node = event.node();
    if (!owing.contains(node)) {
      return null;
    }
    String why = null;
    if (event instanceof MembershipEvent.Unreachable) {
      context.getLog().warn("node={} unreachable (cluster membership) during its {}: waiting up to {} s", node, step,
          settings.unreachableWait().toSeconds());
      waitFor(node);
    } else if (event instanceof MembershipEvent.WaitExpired && unreachable.contains(node)) {
      why = MembershipEvent.unreachableReason(node, settings.unreachableWait(), step);
    } else if (event instanceof MembershipEvent.Gone g) {
      why = MembershipEvent.goneReason(node, g.how(), step);
    }
    if (why != null) {
      context.getLog().error("rollout={} node={} step={} failed: {}", rollout.id(), node, step, why);
    }
    return why;
  }

  /** Starts the unreachable-wait of a node that owes this rollout a step. */
  void waitFor(String node) {
    timers.startSingleTimer(waitKey(node), new MembershipEvent.WaitExpired(node), settings.unreachableWait());
  }

  private static String waitKey(String node) {
    return "unreachable-" + node;
  }

  /** The agents of {@code nodes} still known. */
  Map<String, ActorRef<AgentRequest>> agentsOf(Collection<String> nodes) {
    Map<String, ActorRef<AgentRequest>> targets = new TreeMap<>();
    nodes.forEach(n -> {
      if (agents.containsKey(n)) {
        targets.put(n, agents.get(n));
      }
    });
    return targets;
  }

  /** Asks {@code targets} their statuses; the answers come back to the runner in one message. */
  Behavior<Msg> gatherStatuses(Map<String, ActorRef<AgentRequest>> targets, Function<Gather.Gathered<NodeStatus>, Msg> wrap) {
    context.spawnAnonymous(Gather.create(new TreeMap<>(targets), NodeStatus.class, (node, r) -> new StatusRequest(r),
        settings.ask(), context.getSelf(), wrap));
    return Behaviors.same();
  }

  /**
   * Answers a control: an action not in {@code allowed} does not apply in this phase (409, nothing
   * changes); otherwise {@code apply} acts and gives the next behaviour. The request id is recorded
   * with the answer, before acting, so that a final state carries it too.
   */
  Behavior<Msg> control(RunControl c, Set<ControlAction> allowed, Behavior<Msg> current,
      Function<ControlAction, Behavior<Msg>> apply) {
    if (c.requestId() != null && rollout.requests().size() >= Rollout.MAX_REQUESTS) {
      context.getLog().warn("rollout={} keeps {} request ids: the oldest is forgotten (a repeat of it applies again)",
          rollout.id(), Rollout.MAX_REQUESTS);
    }
    RequestedAction requested = RequestedAction.of(c.action());
    if (!allowed.contains(c.action())) {
      Problem conflict = conflict(rollout, c.action());
      if (c.requestId() != null) {
        update(rollout.withRequest(c.requestId(), RequestIds.record(requested, conflict)));
      }
      c.replyTo().tell(conflict);
      return current;
    }
    rollout = rollout.withRequested(requested, c.user());
    if (c.requestId() != null) {
      rollout = rollout.withRequest(c.requestId(), RequestIds.record(requested, new RolloutView(rollout)));
    }
    Behavior<Msg> next = apply.apply(c.action());
    if ((c.requestId() != null || c.user() != null) && akka.actor.typed.Behavior.isAlive(next)) {
      update(rollout);
    }
    c.replyTo().tell(new RolloutView(rollout));
    return next;
  }

  static Problem conflict(Rollout rollout, ControlAction action) {
    return new Problem(409, "wrong phase", "rollout " + rollout.id() + " is " + rollout.phase()
        + "; '" + action + "' does not apply");
  }

  /** Nodes that did not answer or refused, with the reason. */
  static List<String> failedAcks(Gather.Gathered<Ack> acks) {
    List<String> failed = new ArrayList<>(acks.missing());
    acks.answers().forEach((node, ack) -> {
      if (!ack.ok()) {
        failed.add(node + ": " + ack.error());
      }
    });
    return failed;
  }
}
