package dev.molt.orchestrator.rollout;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.cluster.ClusterEvent;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Command;

/**
 * What cluster membership says about a node, as the orchestrator hears it. Membership knows
 * within seconds that a node is unreachable (failure detector) and, once the Split Brain Resolver
 * decided, that it is downed and removed; the Receptionist alone cannot tell a long GC from a
 * crash. Local to the singleton, never sent between nodes.
 */
sealed interface MembershipEvent extends Command, RunnerProtocol.Msg {
  String node();

  /** Downed or removed: the node will never answer again (a restarted JVM is a new member). */
  record Gone(String node, String how) implements MembershipEvent {}

  record Unreachable(String node) implements MembershipEvent {}

  record Reachable(String node) implements MembershipEvent {}

  /** An unreachable node's wait ran out (its timer fired). */
  record WaitExpired(String node) implements MembershipEvent {}

  /** Subscribes {@code context}'s actor to membership; initial state comes as events too. */
  static void subscribe(ActorContext<Command> context) {
    var subscriptions = Cluster.get(context.getSystem()).subscriptions();
    ActorRef<ClusterEvent.MemberDowned> downed = context.messageAdapter(ClusterEvent.MemberDowned.class,
        e -> new Gone(name(e.member()), "downed"));
    ActorRef<ClusterEvent.MemberRemoved> removed = context.messageAdapter(ClusterEvent.MemberRemoved.class,
        e -> new Gone(name(e.member()), "removed from the cluster"));
    ActorRef<ClusterEvent.UnreachableMember> unreachable = context.messageAdapter(ClusterEvent.UnreachableMember.class,
        e -> new Unreachable(name(e.member())));
    ActorRef<ClusterEvent.ReachableMember> reachable = context.messageAdapter(ClusterEvent.ReachableMember.class,
        e -> new Reachable(name(e.member())));
    subscriptions.tell(Subscribe.create(downed, ClusterEvent.MemberDowned.class));
    subscriptions.tell(Subscribe.create(removed, ClusterEvent.MemberRemoved.class));
    subscriptions.tell(Subscribe.create(unreachable, ClusterEvent.UnreachableMember.class));
    subscriptions.tell(Subscribe.create(reachable, ClusterEvent.ReachableMember.class));
  }

  /** The same {@code host:port} name the agents go by ({@link dev.molt.node.cluster.NodeName}). */
  static String name(akka.cluster.Member member) {
    var address = member.address();
    return address.getHost().orElse("local") + ":" + address.getPort().map(String::valueOf).orElse("0");
  }

  /** The actor lives on a member that is not downed, leaving or removed (a local ref is on this node). */
  static boolean isMember(akka.actor.typed.ActorSystem<?> system, akka.actor.typed.ActorRef<?> ref) {
    var address = ref.path().address();
    if (address.getHost().isEmpty()) {
      return true;
    }
    for (akka.cluster.Member m : Cluster.get(system).state().getMembers()) {
      if (m.address().equals(address)) {
        var status = m.status();
        return status != akka.cluster.MemberStatus.down() && status != akka.cluster.MemberStatus.removed()
            && status != akka.cluster.MemberStatus.exiting();
      }
    }
    return true; // not in this node's view yet: a member that just joined
  }

  /**
   * The agents a Receptionist listing names, by node, on members only. All instances, unreachable
   * ones too: a long GC is not a departure; membership says when a node is gone.
   */
  static java.util.Map<String, ActorRef<dev.molt.protocol.control.AgentRequest>> members(
      akka.actor.typed.receptionist.Receptionist.Listing listing, akka.actor.typed.ActorSystem<?> system) {
    var agents = new java.util.TreeMap<String, ActorRef<dev.molt.protocol.control.AgentRequest>>();
    for (var ref : listing.getAllServiceInstances(dev.molt.node.cluster.ClusterAgent.KEY)) {
      if (isMember(system, ref)) { // else downed or removed: the Receptionist has not caught up yet
        agents.put(dev.molt.node.cluster.NodeName.of(ref, system), ref);
      }
    }
    return agents;
  }

  /** The reason a step fails with when membership said the node is gone. */
  static String goneReason(String node, String how, String step) {
    return "node " + node + " was " + how + " (cluster membership) during its " + step;
  }

  static String unreachableReason(String node, java.time.Duration wait, String step) {
    return "node " + node + " stayed unreachable (cluster membership) for more than " + wait.toSeconds()
        + " s (molt.orchestrator.unreachable-wait) during its " + step;
  }
}
