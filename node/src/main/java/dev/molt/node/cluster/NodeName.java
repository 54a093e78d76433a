package dev.molt.node.cluster;

import akka.actor.typed.ActorSystem;
import akka.cluster.typed.Cluster;

/** How logs and replies name a node: {@code host:port} of its cluster address. */
public final class NodeName {
  private NodeName() {}

  public static String of(ActorSystem<?> system) {
    var address = Cluster.get(system).selfMember().address();
    return address.getHost().orElse("local") + ":" + address.getPort().map(String::valueOf).orElse("0");
  }
}
