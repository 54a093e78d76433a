package dev.molt.node.cluster;

import akka.actor.typed.ActorSystem;
import akka.cluster.typed.Cluster;

/** How logs and replies name a node: {@code host:port} of its cluster address. */
public final class NodeName {
  private NodeName() {}

  public static String of(ActorSystem<?> system) {
    return of(Cluster.get(system).selfMember().address());
  }

  /** The name of the node an actor lives on; a local ref's address has no host: this node's. */
  public static String of(akka.actor.typed.ActorRef<?> ref, ActorSystem<?> system) {
    var address = ref.path().address();
    return address.getHost().isPresent() ? of(address) : of(system);
  }

  private static String of(akka.actor.Address address) {
    return address.getHost().orElse("local") + ":" + address.getPort().map(String::valueOf).orElse("0");
  }
}
