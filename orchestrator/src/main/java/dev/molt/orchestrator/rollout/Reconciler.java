package dev.molt.orchestrator.rollout;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import dev.molt.node.cluster.ClusterRelease;
import dev.molt.protocol.WireName;
import dev.molt.protocol.control.AgentRequest;
import dev.molt.protocol.control.ControlMessages.Ack;
import dev.molt.protocol.control.ControlMessages.InstallRequest;
import dev.molt.protocol.control.ControlMessages.InstallResult;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.control.ControlMessages.PermanentRequest;
import dev.molt.protocol.control.ControlMessages.SendBundle;
import dev.molt.protocol.control.ControlMessages.StatusRequest;
import dev.molt.protocol.control.ControlMessages.TransferResult;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.release.ReleaseId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One reconciliation pass, as a child of the orchestrator: statuses of every node, the cluster's
 * release ({@link ReconcileChoice}), then each lagging node receives it, installs it and makes it
 * permanent. The orchestrator stops this child when a rollout starts, so nothing it asked
 * afterwards reaches a node. Stops itself when every lagging node's stages ended.
 */
final class Reconciler {
  private Reconciler() {}

  interface Msg {}

  private record Statuses(Gather.Gathered<NodeStatus> statuses) implements Msg {}

  /** What a lagging node goes through, in order; the log names each as {@code step=<json>}. */
  enum Stage implements WireName { DISTRIBUTE, INSTALL, MAKE_PERMANENT }

  /** One node's stage ended. */
  private record StageEnded(String node, ReleaseId release, Stage stage, boolean ok, String error) implements Msg {}

  static Behavior<Msg> create(Map<String, ActorRef<AgentRequest>> agents, Duration ask, Duration install) {
    return Behaviors.setup(context -> {
      context.spawnAnonymous(Gather.create(new TreeMap<>(agents), NodeStatus.class, (node, r) -> new StatusRequest(r), ask,
          context.getSelf(), Statuses::new));
      return Behaviors.receive(Msg.class)
          .onMessage(Statuses.class, s -> reconciling(context, agents, reconcile(context, agents, s.statuses(), install), ask,
              install))
          .build();
    });
  }

  /** {@code nodes} lagging nodes are on their way; stops when none is left. */
  private static Behavior<Msg> reconciling(ActorContext<Msg> context, Map<String, ActorRef<AgentRequest>> agents, int nodes,
      Duration ask, Duration install) {
    if (nodes <= 0) {
      return Behaviors.stopped();
    }
    return Behaviors.receive(Msg.class)
        .onMessage(StageEnded.class, ended -> next(context, agents, ended, ask, install) ? Behaviors.same()
            : reconciling(context, agents, nodes - 1, ask, install))
        .build();
  }

  /** Starts the steps of every lagging node; returns how many nodes are being reconciled. */
  private static int reconcile(ActorContext<Msg> context, Map<String, ActorRef<AgentRequest>> agents,
      Gather.Gathered<NodeStatus> statuses, Duration install) {
    var history = ClusterRelease.get(context.getSystem()).history();
    var choice = ReconcileChoice.choose(statuses.answers().values(), history);
    if (choice.isEmpty()) {
      boolean lagging = statuses.answers().values().stream().anyMatch(st -> st.running() == null);
      if (lagging) {
        context.getLog().warn("reconcile: no cluster release (no majority permanent release, no completed rollout held "
            + "by a node); nodes running nothing stay so until a rollout");
      }
      return 0;
    }
    ReleaseId cluster = choice.get().release();
    String holder = statuses.answers().entrySet().stream().filter(e -> holds(e.getValue(), cluster))
        .map(Map.Entry::getKey).findFirst().orElse(null);
    int started = 0;
    for (var e : statuses.answers().entrySet()) {
      String node = e.getKey();
      NodeStatus st = e.getValue();
      if (st.installing() || cluster.equals(st.running()) || holder == null || !agents.containsKey(node)) {
        continue;
      }
      context.getLog().info("reconcile node={} runs={} cluster={} ({}): bringing it onto the cluster's release", node,
          st.running() == null ? "none" : st.running(), cluster, choice.get().why());
      started++;
      if (holds(st, cluster)) {
        install(context, agents.get(node), node, cluster, install);
      } else {
        context.ask(TransferResult.class, agents.get(holder), install, t -> new SendBundle(cluster, List.of(agents.get(node)), t),
            (result, failure) -> new StageEnded(node, cluster, Stage.DISTRIBUTE, failure == null && result.failed().isEmpty(),
                failure != null ? failure.getMessage() : String.join("; ", result.failed())));
      }
    }
    return started;
  }

  /** Logs a node's stage and starts its next; false when this node's reconciliation ended. */
  private static boolean next(ActorContext<Msg> context, Map<String, ActorRef<AgentRequest>> agents, StageEnded ended,
      Duration ask, Duration install) {
    if (!ended.ok()) {
      context.getLog().error("reconcile node={} step={} release={} failed: {}", ended.node(), ended.stage().json(),
          ended.release(), ended.error());
      return false;
    }
    context.getLog().info("reconcile node={} step={} release={} ok", ended.node(), ended.stage().json(), ended.release());
    ActorRef<AgentRequest> agent = agents.get(ended.node());
    switch (ended.stage()) {
      case DISTRIBUTE -> {
        install(context, agent, ended.node(), ended.release(), install);
        return true;
      }
      case INSTALL -> {
        context.ask(Ack.class, agent, ask, r -> new PermanentRequest(ended.release(), r),
            (ack, failure) -> new StageEnded(ended.node(), ended.release(), Stage.MAKE_PERMANENT, failure == null && ack.ok(),
                failure != null ? failure.getMessage() : ack.error()));
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  private static void install(ActorContext<Msg> context, ActorRef<AgentRequest> agent, String node, ReleaseId release,
      Duration timeout) {
    context.ask(InstallResult.class, agent, timeout, r -> new InstallRequest(release, InstallMode.BARRIER, r),
        (result, failure) -> new StageEnded(node, release, Stage.INSTALL, failure == null && result.ok(),
            failure != null ? failure.getMessage() : result.reason()));
  }

  static boolean holds(NodeStatus status, ReleaseId release) {
    return status.releases().stream().anyMatch(r -> r.release().equals(release));
  }
}
