package dev.molt.node.entity;

import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.Behaviors;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.node.supervision.HostListing;

/**
 * Takes entity hosts off the listing when they stop (passivated, handed off, failed), by watching
 * them: an install must not wait for an actor that is gone.
 */
final class EntityRoster {
  sealed interface Command {}

  record Listed(ApplicationTree.Host host) implements Command {}

  private EntityRoster() {}

  static Behavior<Command> create(HostListing listing) {
    return Behaviors.setup(context -> {
      java.util.Map<akka.actor.typed.ActorRef<?>, ApplicationTree.Host> watched = new java.util.HashMap<>();
      return Behaviors.receive(Command.class)
          .onMessage(Listed.class, listed -> {
            watched.put(listed.host().ref(), listed.host());
            context.watch(listed.host().ref());
            return Behaviors.same();
          })
          .onSignal(Terminated.class, terminated -> {
            ApplicationTree.Host gone = watched.remove(terminated.getRef());
            if (gone != null) {
              listing.remove(gone.supervisor(), gone.child(), gone.ref());
            }
            return Behaviors.same();
          })
          .build();
    });
  }
}
