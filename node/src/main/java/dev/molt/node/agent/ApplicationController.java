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
import dev.molt.node.supervision.Applications;
import dev.molt.node.supervision.SupervisorCommand;
import dev.molt.node.supervision.SupervisorReply;
import dev.molt.node.supervision.TreeSupervisor;
import dev.molt.protocol.release.ApplicationSpec;
import dev.molt.protocol.release.ReleaseDescriptor;
import dev.molt.protocol.release.ReleaseId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OTP's {@code application_controller}: the one owner of the running applications' supervision
 * trees (one root supervisor per application of the release). It starts a release's applications,
 * replaces them by another release's (a restart-application step), starts and stops single ones
 * (add-application, remove-application) and hands messages to their supervisors. It watches each
 * root: an application that stops on its own is judged by its start type ({@link Applications}).
 * The node agent and the installs it runs only ask it, and read the {@link ApplicationTree}
 * registry it hands out; none of them starts or stops the trees' actors.
 */
final class ApplicationController extends AbstractBehavior<ApplicationController.Command> {

  sealed interface Command {}

  /** Stops the running applications, if any, and starts {@code release}'s; answers once they were spawned. */
  record Start(ReleaseId release, ActorRef<Started> replyTo) implements Command {}

  /** The applications now run {@code release}, or {@code failure} says why they could not start. */
  record Started(ReleaseId release, ApplicationTree tree, String failure) {}

  record Deliver(String supervisor, String key, Object message) implements Command {}

  /**
   * OTP's {@code application:start(App, Type)}: starts {@code application} as {@code release}
   * declares it; answers once every static child of its tree started, or why it did not.
   */
  record StartApplication(String application, ReleaseId release, ActorRef<ApplicationDone> replyTo) implements Command {}

  /** OTP's {@code application:stop(App)}: answers once the application's tree stopped. */
  record StopApplication(String application, ActorRef<ApplicationDone> replyTo) implements Command {}

  /** {@code failure} null: done. */
  record ApplicationDone(String application, String failure) {}

  private record RootStarted(String application, ActorRef<SupervisorCommand> root, String failure) implements Command {}

  /** A running application's root, and who waits for it to have started, or to have stopped. */
  private static final class Running {
    final ApplicationSpec spec;
    final ActorRef<SupervisorCommand> root;
    final long startedNanos = System.nanoTime();
    ActorRef<ApplicationDone> startWaiter;
    ActorRef<ApplicationDone> stopWaiter;
    long stopNanos;

    Running(ApplicationSpec spec, ActorRef<SupervisorCommand> root) {
      this.spec = spec;
      this.root = root;
    }
  }

  /**
   * Starts at once on {@code boot}'s release (the node agent's boot), or with no tree when it was
   * started on none.
   */
  static Behavior<Command> create(ReleaseRegistry registry, ApplicationTree boot) {
    return Behaviors.setup(context -> new ApplicationController(context, registry, boot));
  }

  private final ReleaseRegistry registry;
  private final Applications applications;
  private final Map<String, Running> running = new LinkedHashMap<>();
  private ApplicationTree tree;
  private int generation;

  private ApplicationController(ActorContext<Command> context, ReleaseRegistry registry, ApplicationTree boot) {
    super(context);
    this.registry = registry;
    this.applications = Applications.get(context.getSystem());
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
        .onMessage(StartApplication.class, this::startApplication)
        .onMessage(RootStarted.class, this::rootStarted)
        .onMessage(StopApplication.class, this::stopApplication)
        .onMessage(Deliver.class, this::deliver)
        .onSignal(Terminated.class, this::rootStopped)
        .build();
  }

  private Behavior<Command> start(Start command) {
    String failure = start(new ApplicationTree(command.release(), tree.entities()));
    command.replyTo().tell(new Started(command.release(), tree, failure));
    return this;
  }

  /** Replaces every running application by {@code next}'s; the reason it could not, or null. */
  private String start(ApplicationTree next) {
    ReleaseId release = next.startedOn();
    Optional<ReleaseDescriptor> descriptor = descriptor(release);
    if (descriptor.isEmpty()) {
      return "release " + release + " is not in the store";
    }
    long started = System.nanoTime();
    for (String name : List.copyOf(running.keySet())) {
      stop(name);
    }
    tree = next;
    try {
      for (ApplicationSpec app : descriptor.get().allApplications()) {
        spawn(app, release);
      }
    } catch (RuntimeException e) {
      List.copyOf(running.keySet()).forEach(this::stop);
      tree = new ApplicationTree(null, tree.entities());
      return "the application did not start on " + release + ": " + e;
    }
    getContext().getLog().info("application: started {} ({}) took={}ms", release, running.keySet(),
        (System.nanoTime() - started) / 1_000_000);
    return null;
  }

  private Behavior<Command> startApplication(StartApplication command) {
    Optional<ApplicationSpec> app = descriptor(command.release()).flatMap(d -> d.application(command.application()));
    String failure = app.isEmpty() ? "release " + command.release() + " is not in the store or declares no application '"
        + command.application() + "'"
        : running.containsKey(command.application()) ? "application '" + command.application() + "' runs already"
        : tree.startedOn() == null ? "no release runs: an application is added to a running release" : null;
    if (failure != null) {
      command.replyTo().tell(new ApplicationDone(command.application(), failure));
      return this;
    }
    Running started;
    try {
      started = spawn(app.get(), command.release());
    } catch (RuntimeException e) {
      command.replyTo().tell(new ApplicationDone(command.application(), "did not start: " + e));
      return this;
    }
    started.startWaiter = command.replyTo();
    getContext().ask(SupervisorReply.class, started.root, registry.settings().installStepTimeout(),
        SupervisorCommand.AwaitStarted::new, (reply, error) -> new RootStarted(command.application(), started.root,
            error != null ? "no answer from its root supervisor: " + error
                : reply instanceof SupervisorReply.Refused refused ? refused.reason() : null));
    return this;
  }

  private Behavior<Command> rootStarted(RootStarted answer) {
    Running app = running.get(answer.application());
    if (app == null || !app.root.equals(answer.root()) || app.startWaiter == null) {
      return this; // stopped meanwhile: its waiter was told then
    }
    ActorRef<ApplicationDone> waiting = app.startWaiter;
    app.startWaiter = null;
    if (answer.failure() != null) {
      stop(answer.application());
      getContext().getLog().warn("application: {} did not start: {}", answer.application(), answer.failure());
    } else {
      getContext().getLog().info("application: started {} ({}) took={}ms", answer.application(),
          app.spec.startType().json(), (System.nanoTime() - app.startedNanos) / 1_000_000);
    }
    waiting.tell(new ApplicationDone(answer.application(), answer.failure()));
    return this;
  }

  private Behavior<Command> stopApplication(StopApplication command) {
    Running app = running.get(command.application());
    if (app == null) {
      // Stopped on its own before (failed, or temporary): removing it is done; its failure goes with it.
      boolean known = applications.all().stream().anyMatch(a -> a.name().equals(command.application()));
      applications.removed(command.application());
      if (known) {
        getContext().getLog().info("application: {} had stopped already; removed", command.application());
      }
      command.replyTo().tell(new ApplicationDone(command.application(), known ? null
          : "application '" + command.application() + "' does not run"));
      return this;
    }
    if (app.stopWaiter != null) {
      command.replyTo().tell(new ApplicationDone(command.application(), "application '" + command.application()
          + "' is stopping already"));
      return this;
    }
    // Answered when its root has stopped (Terminated): its supervisors and actors are unlisted by then.
    app.stopWaiter = command.replyTo();
    app.stopNanos = System.nanoTime();
    applications.removed(command.application());
    getContext().stop(app.root);
    return this;
  }

  private Running spawn(ApplicationSpec app, ReleaseId release) {
    ActorRef<SupervisorCommand> root = TreeSupervisor.spawnRoot(getContext(), app.supervision(), tree,
        app.name() + "-" + (++generation));
    getContext().watch(root);
    Running started = new Running(app, root);
    running.put(app.name(), started);
    applications.started(app.name(), app.startType(), release);
    return started;
  }

  /** Stops an application on purpose: its stop is not judged by its start type. */
  private void stop(String name) {
    Running app = running.remove(name);
    if (app != null) {
      getContext().unwatch(app.root);
      getContext().stop(app.root);
      applications.removed(name);
      if (app.startWaiter != null) {
        app.startWaiter.tell(new ApplicationDone(name, "stopped before it started"));
      }
      if (app.stopWaiter != null) {
        app.stopWaiter.tell(new ApplicationDone(name, null));
      }
    }
  }

  private Optional<ReleaseDescriptor> descriptor(ReleaseId release) {
    return registry.store().find(release).map(StoredRelease::descriptor);
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
    String name = running.entrySet().stream().filter(e -> e.getValue().root.equals(signal.getRef()))
        .map(Map.Entry::getKey).findFirst().orElse(null);
    if (name == null) {
      return this;
    }
    Running app = running.remove(name);
    if (app.stopWaiter != null) {
      getContext().getLog().info("application: stopped {} took={}ms", name, (System.nanoTime() - app.stopNanos) / 1_000_000);
      app.stopWaiter.tell(new ApplicationDone(name, null));
      if (app.startWaiter != null) {
        // Stopped while it was starting: whoever waits for its start must not wait out its timeout.
        app.startWaiter.tell(new ApplicationDone(name, "it was stopped before its children started"));
      }
      return this;
    }
    String cause = signal instanceof ChildFailed failed ? String.valueOf(failed.getCause()) : "stopped";
    if (app.startWaiter != null) {
      // Not started: the one waiting for it (an install, which reverts) is told; the node's health is not at stake.
      applications.removed(name);
      getContext().getLog().warn("application: {} did not start: {}", name, cause);
      app.startWaiter.tell(new ApplicationDone(name, "its root supervisor '" + app.spec.supervision().name()
          + "' stopped before its children started: " + cause));
      return this;
    }
    Applications.State state = applications.stoppedByItself(name, "root supervisor '" + app.spec.supervision().name()
        + "' " + (signal instanceof ChildFailed ? "failed: " + cause : "stopped"), signal instanceof ChildFailed);
    if (state != null && state.failsNode()) {
      getContext().getLog().error("application {} ({}) stopped ({}): the node is unhealthy and runs no actors of it "
          + "until a restart of the node or an install starts it again", name, app.spec.startType().json(), cause);
    } else {
      getContext().getLog().warn("application {} ({}) stopped ({}): the node's other applications go on", name,
          app.spec.startType().json(), cause);
    }
    return this;
  }
}
