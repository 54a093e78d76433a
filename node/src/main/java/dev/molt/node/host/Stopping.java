package dev.molt.node.host;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;

/** What {@link dev.molt.node.spi.BehaviourContext#stop} does to a host: a tree child ends, an entity passivates. */
public interface Stopping {
  /** The host's next behaviour once its code asked to stop. */
  Behavior<Object> stop(ActorRef<Object> self);

  Stopping END = self -> Behaviors.stopped();
}
