package dev.molt.orchestrator.rollout;

import akka.actor.typed.ActorRef;
import dev.molt.protocol.control.AgentRequest;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;

/**
 * The cluster agents the orchestrator shell knows, by node: those the Receptionist lists on
 * members, less the nodes membership says are gone; and the nodes membership says are
 * unreachable. A rollout's runner gets a copy of both when it starts.
 */
final class ClusterAgents {
  private final Map<String, ActorRef<AgentRequest>> agents = new TreeMap<>();
  private final Set<String> unreachable = new TreeSet<>();
  private final Logger log;

  ClusterAgents(Logger log) {
    this.log = log;
  }

  /** The Receptionist's listing, already restricted to members. */
  void listed(Map<String, ActorRef<AgentRequest>> members) {
    agents.clear();
    agents.putAll(members);
    log.info("orchestrator sees {} cluster agent(s): {}", agents.size(), agents.keySet());
  }

  void track(MembershipEvent event) {
    String node = event.node();
    if (event instanceof MembershipEvent.Unreachable) {
      unreachable.add(node);
    } else if (event instanceof MembershipEvent.Reachable && unreachable.remove(node)) {
      log.info("node={} reachable again (cluster membership)", node);
    } else if (event instanceof MembershipEvent.Gone) {
      agents.remove(node); // nothing more is asked of it; a restarted node comes back through the Receptionist
      unreachable.remove(node);
    }
  }

  /** A copy: the workers and runners the shell spawns keep theirs. */
  Map<String, ActorRef<AgentRequest>> now() {
    return new TreeMap<>(agents);
  }

  Set<String> unreachable() {
    return Set.copyOf(unreachable);
  }

  boolean isEmpty() {
    return agents.isEmpty();
  }
}
