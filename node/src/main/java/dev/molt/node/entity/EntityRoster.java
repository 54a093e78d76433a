package dev.molt.node.entity;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.Behaviors;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.node.supervision.HostListing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Takes entity hosts off the listing when they stop (passivated, handed off, failed), by watching
 * them: an install must not wait for an actor that is gone. And tells who asked when a set of hosts
 * has stopped (a restart of the application goes on only once its entities are gone).
 */
final class EntityRoster {
  sealed interface Command {}

  record Listed(ApplicationTree.Host host) implements Command {}

  /** Completes {@code done} once every one of {@code hosts} has stopped (at once for those already gone). */
  record WhenGone(List<ActorRef<Object>> hosts, CompletableFuture<Void> done) implements Command {}

  private record Waiter(Set<ActorRef<?>> left, CompletableFuture<Void> done) {}

  private EntityRoster() {}

  static Behavior<Command> create(HostListing listing) {
    return Behaviors.setup(context -> {
      Map<ActorRef<?>, ApplicationTree.Host> watched = new HashMap<>();
      List<Waiter> waiting = new ArrayList<>();
      return Behaviors.receive(Command.class)
          .onMessage(Listed.class, listed -> {
            watched.put(listed.host().ref(), listed.host());
            context.watch(listed.host().ref());
            return Behaviors.same();
          })
          .onMessage(WhenGone.class, when -> {
            if (when.hosts().isEmpty()) {
              when.done().complete(null);
            } else {
              // Watching a stopped actor signals Terminated at once, so none is missed.
              when.hosts().forEach(context::watch);
              waiting.add(new Waiter(new HashSet<>(when.hosts()), when.done()));
            }
            return Behaviors.same();
          })
          .onSignal(Terminated.class, terminated -> {
            ApplicationTree.Host gone = watched.remove(terminated.getRef());
            if (gone != null) {
              listing.remove(gone.supervisor(), gone.child(), gone.ref());
            }
            for (Iterator<Waiter> each = waiting.iterator(); each.hasNext(); ) {
              Waiter waiter = each.next();
              waiter.left().remove(terminated.getRef());
              if (waiter.left().isEmpty()) {
                waiter.done().complete(null);
                each.remove();
              }
            }
            return Behaviors.same();
          })
          .build();
    });
  }
}
