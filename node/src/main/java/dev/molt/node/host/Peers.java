package dev.molt.node.host;

import akka.actor.typed.ActorRef;
import java.util.Optional;

/** Finds a host's peers for {@link dev.molt.node.spi.BehaviourContext#peer}; a tree gives its hosts one. */
public interface Peers {
  Optional<ActorRef<Object>> find(String supervisor, String child);

  Peers NONE = (supervisor, child) -> Optional.empty();
}
