package dev.molt.node.agent;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.ChildFailed;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.release.StoredRelease;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.node.supervision.SupervisorCommand;
import dev.molt.node.supervision.TreeSupervisor;
import dev.molt.protocol.release.ReleaseDescriptor;
import dev.molt.protocol.release.ReleaseId;
import java.util.Optional;

/**
 * OTP's {@code application_controller}: the one owner of the running application's supervision
 * tree. It starts a release's tree, replaces it by another release's (a restart-application
 * step) and hands messages to its supervisors. The node agent and the installs it runs only ask
 * it, and read the {@link ApplicationTree} registry it hands out; none of them starts or stops
 * the tree's actors.
 */
final class ApplicationController extends AbstractBehavior<ApplicationController.Command> {

  sealed interface Command {}

  /** Stops the running tree, if any, and starts {@code release}'s; answers once the new one runs. */
  record Start(ReleaseId release, ActorRef<Started> replyTo) implements Command {}

  /** The tree now runs {@code release}, or {@code failure} says why it could not start. */
  record Started(ReleaseId release, ApplicationTree tree, String failure) {}

  record Deliver(String supervisor, String key, Object message) implements Command {}

  /**
   * Starts at once on {@code boot}'s release (the node agent's boot), or with no tree when it was
   * started on none.
   */
  static Behavior<Command> create(ReleaseRegistry registry, ApplicationTree boot) {
    return Behaviors.setup(context -> new ApplicationController(context, registry, boot));
  }

  private final ReleaseRegistry registry;
  private ApplicationTree tree;
  private ActorRef<SupervisorCommand> root;
  private int generation;

  private ApplicationController(ActorContext<Command> context, ReleaseRegistry registry, ApplicationTree boot) {
    super(context);
    this.registry = registry;
    this.tree = new ApplicationTree(null, boot.entities());
    if (boot.startedOn() != null) {
      String failure = start(boot);
      if (failure != null) {
        context.getLog().error("application: cannot start the boot release: {}", failure);
      }
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Start.class, this::start)
        .onMessage(Deliver.class, this::deliver)
        .onSignal(Terminated.class, this::rootStopped)
        .build();
  }

  private Behavior<Command> start(Start command) {
    String failure = start(new ApplicationTree(command.release(), tree.entities()));
    command.replyTo().tell(new Started(command.release(), tree, failure));
    return this;
  }

  /** Replaces the running tree by {@code next}; the reason it could not, or null. */
  private String start(ApplicationTree next) {
    ReleaseId release = next.startedOn();
    Optional<ReleaseDescriptor> descriptor = registry.store().find(release).map(StoredRelease::descriptor);
    if (descriptor.isEmpty()) {
      return "release " + release + " is not in the store";
    }
    long started = System.nanoTime();
    if (root != null) {
      getContext().stop(root);
      root = null;
    }
    try {
      if (descriptor.get().supervision() != null) {
        root = TreeSupervisor.spawnRoot(getContext(), descriptor.get().supervision(), next, "app-" + (++generation));
        getContext().watch(root);
      }
    } catch (RuntimeException e) {
      tree = new ApplicationTree(null, tree.entities());
      return "the application did not start on " + release + ": " + e;
    }
    tree = next;
    getContext().getLog().info("application: started {} took={}ms", release, (System.nanoTime() - started) / 1_000_000);
    return null;
  }

  private Behavior<Command> deliver(Deliver deliver) {
    Optional<ActorRef<SupervisorCommand>> supervisor = tree.supervisor(deliver.supervisor());
    if (supervisor.isPresent()) {
      supervisor.get().tell(new SupervisorCommand.Deliver(deliver.key(), deliver.message()));
    } else {
      getContext().getLog().warn("no running supervisor '{}': message for '{}' to dead letters", deliver.supervisor(),
          deliver.key());
      getContext().getSystem().deadLetters().tell(deliver.message());
    }
    return this;
  }

  private Behavior<Command> rootStopped(Terminated signal) {
    if (signal.getRef().equals(root)) {
      getContext().getLog().error("the application's root supervisor stopped ({}): the node runs no actors of {} "
          + "until the next install or restart", signal instanceof ChildFailed f ? f.getCause() : "stopped", tree.startedOn());
      root = null;
    }
    return this;
  }
}
