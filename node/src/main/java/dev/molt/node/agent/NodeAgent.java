package dev.molt.node.agent;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.BehaviorBuilder;
import dev.molt.node.metrics.NodeMetrics;
import dev.molt.node.metrics.NodeMetrics.InstallOutcome;
import dev.molt.node.envelope.SchemaFloors;
import dev.molt.node.release.InvalidBundleException;
import dev.molt.node.release.LoadedRelease;
import dev.molt.node.release.ReleaseConflictException;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.release.StoredRelease;
import dev.molt.node.entity.ActorTargets;
import dev.molt.node.entity.Entities;
import dev.molt.node.entity.UnknownActorException;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.protocol.control.ControlMessages.ReleaseEntry;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.control.ReleaseStatus;
import dev.molt.protocol.release.ReleaseDescriptor;
import dev.molt.protocol.release.ReleaseId;
import dev.molt.protocol.relup.NoUpgradePathException;
import dev.molt.protocol.relup.Relup;
import dev.molt.protocol.relup.RelupCompiler;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node agent, OTP's {@code release_handler}: owns the release store's statuses and installs
 * releases by compiling and running a plan. The application's tree is owned by its child
 * {@link ApplicationController}; each install by a child {@link InstallWorker}. A restart boots
 * the permanent release; a store without one boots an empty node that waits for its first install.
 *
 * <p>Two phases: {@link #idle} and {@link #installing}; while an install runs, another install and
 * a remove are refused, everything else is answered. Installs and unpacks run one at a time on the
 * agent's install thread (they block on disk and on thousands of asks), never on a dispatcher
 * thread; their results come back as messages. The release code they run goes to abandonable
 * release-code threads with a bound, so a release that never returns fails its upload or install
 * and never holds the install thread for good.
 */
public final class NodeAgent {

  public static Behavior<AgentCommand> create() {
    return Behaviors.<AgentCommand>setup(context -> new NodeAgent(context).idle()).narrow();
  }

  /** Internal messages, kept out of the public protocol. */
  interface Internal extends AgentCommand {}

  private record Unpacked(AgentReply reply, ActorRef<AgentReply> replyTo) implements Internal {}

  /** An install's worker stopped: after its Done the agent stopped it; before, it failed. */
  private record WorkerStopped(String install, ActorRef<AgentReply> replyTo) implements Internal {}

  private static final AtomicInteger installs = new AtomicInteger();

  private final ActorContext<AgentCommand> context;
  private final ReleaseRegistry registry;
  private final ReleaseStates states;
  private final ExecutorService installThread;
  private final List<ActorRef<ProgressEvent>> subscribers = new CopyOnWriteArrayList<>();
  private final ActorRef<ApplicationController.Command> application;
  /** The running application's tree, as the controller handed it out; read-only here. */
  private ApplicationTree tree;
  /** The release the tree runs now; null while the node runs nothing (empty store, failed boot). */
  private ReleaseId running;

  private NodeAgent(ActorContext<AgentCommand> context) {
    this.context = context;
    this.registry = ReleaseRegistry.get(context.getSystem());
    this.states = ReleaseStates.open(registry.store().root());
    this.installThread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "molt-install-" + context.getSystem().name());
      t.setDaemon(true);
      return t;
    });
    // Entity hosts are listed with the tree's, where installs look; their regions start with each current release.
    this.tree = new ApplicationTree(boot(), Entities.get(context.getSystem()).hosts());
    this.application = context.spawn(ApplicationController.create(registry, tree), "application");
    if (running != null) {
      context.getLog().info("node agent: booted the permanent release {}", running);
    }
    if (registry.settings().installWarmUp()) {
      // Queued first on the install thread, once per JVM: an install or unpack asked for meanwhile
      // waits for it (~0.2 s, at most InstallWarmUp.LIMIT).
      InstallWarmUp.once(context.getSystem(), registry, installThread);
    }
  }

  /** Loads the permanent release and makes it current; the release the tree boots on, or null. */
  private ReleaseId boot() {
    Optional<ReleaseId> permanent = states.permanent();
    if (permanent.isEmpty()) {
      context.getLog().info("node agent: no permanent release in {}; waiting for a first install", registry.store().root());
      return null;
    }
    try {
      registry.load(permanent.get());
      registry.makeCurrent(permanent.get());
      states.booted();
      running = permanent.get();
      return running;
    } catch (InvalidBundleException | RuntimeException e) {
      context.getLog().error("node agent: cannot boot the permanent release {}: {}; the node runs nothing until "
          + "an install", permanent.get(), e.getMessage());
      return null;
    }
  }

  // ---- phases ----

  private Behavior<AgentCommand> idle() {
    return answering(false)
        .onMessage(AgentCommand.Install.class, this::install)
        .onMessage(AgentCommand.Remove.class, this::remove)
        .onMessage(WorkerStopped.class, stopped -> Behaviors.same()) // stopped by the agent after its Done
        .build();
  }

  private Behavior<AgentCommand> installing(String install) {
    return answering(true)
        .onMessage(AgentCommand.Install.class, c -> {
          c.replyTo().tell(AgentReply.Failed.of(AgentReply.FailedCommand.INSTALL, "install " + install + " is running"));
          return Behaviors.same();
        })
        .onMessage(AgentCommand.Remove.class, c -> {
          c.replyTo().tell(AgentReply.Failed.of(AgentReply.FailedCommand.REMOVE, "install " + install + " is running; try again after it"));
          return Behaviors.same();
        })
        .onMessage(InstallWorker.Done.class, this::installDone)
        .onMessage(WorkerStopped.class, stopped -> workerStopped(install, stopped))
        .build();
  }

  /** What both phases answer the same way. */
  private BehaviorBuilder<AgentCommand> answering(boolean installing) {
    return Behaviors.receive(AgentCommand.class)
        .onMessage(AgentCommand.Unpack.class, this::unpack)
        .onMessage(Unpacked.class, this::unpacked)
        .onMessage(AgentCommand.Plan.class, this::plan)
        .onMessage(AgentCommand.MakePermanent.class, this::makePermanent)
        .onMessage(AgentCommand.WhichReleases.class, c -> {
          c.replyTo().tell(new AgentReply.Releases(releaseStatuses()));
          return Behaviors.same();
        })
        .onMessage(AgentCommand.Deliver.class, c -> {
          application.tell(new ApplicationController.Deliver(c.supervisor(), c.key(), c.message()));
          return Behaviors.same();
        })
        .onMessage(AgentCommand.FindActor.class, c -> {
          try {
            c.replyTo().tell(new AgentReply.ActorFound(ActorTargets.find(context.getSystem(), tree, running, c.name(), c.key())));
          } catch (UnknownActorException unknown) {
            c.replyTo().tell(new AgentReply.ActorUnknown(unknown.getMessage()));
          }
          return Behaviors.same();
        })
        .onMessage(AgentCommand.GetTree.class, c -> {
          c.replyTo().tell(new AgentReply.Tree(tree, running));
          return Behaviors.same();
        })
        .onMessage(AgentCommand.DescribeNode.class, c -> {
          c.replyTo().tell(new AgentReply.NodeInfo(running, states.permanent().orElse(null), releaseStatuses(),
              installing, tree.hosts().size()));
          return Behaviors.same();
        })
        .onMessage(AgentCommand.SetSchemaFloor.class, this::setSchemaFloor)
        .onMessage(AgentCommand.LiftSchemaFloor.class, c -> {
          SchemaFloors.get(context.getSystem()).lift(c.application());
          c.replyTo().tell(new AgentReply.Done("lift-schema-floor " + c.application()));
          return Behaviors.same();
        })
        .onMessage(AgentCommand.Subscribe.class, c -> {
          subscribers.add(c.subscriber());
          return Behaviors.same();
        })
        .onSignal(PostStop.class, s -> {
          installThread.shutdownNow();
          return Behaviors.same();
        });
  }

  // ---- unpack ----

  private Behavior<AgentCommand> unpack(AgentCommand.Unpack command) {
    context.pipeToSelf(CompletableFuture.supplyAsync(() -> {
      try {
        LoadedRelease release = registry.unpack(command.bundle());
        return (AgentReply) new AgentReply.Unpacked(release.id(), release.sha256());
      } catch (ReleaseConflictException e) {
        return new AgentReply.UnpackRefused(UnpackFailure.CONFLICT, e.getMessage());
      } catch (InvalidBundleException e) {
        return new AgentReply.UnpackRefused(UnpackFailure.INVALID, e.getMessage());
      }
    }, installThread), (reply, error) -> new Unpacked(error == null ? reply
        : new AgentReply.UnpackRefused(UnpackFailure.NOT_STORED, "the node could not store it: " + rootMessage(error)),
        command.replyTo()));
    return Behaviors.same();
  }

  private Behavior<AgentCommand> unpacked(Unpacked done) {
    if (done.reply() instanceof AgentReply.UnpackRefused f) {
      context.getLog().warn("unpack refused ({}): {}", f.failure(), f.reason());
    }
    done.replyTo().tell(done.reply());
    return Behaviors.same();
  }

  private static String rootMessage(Throwable error) {
    return error.getCause() != null ? error.getCause().getMessage() : error.getMessage();
  }

  // ---- install ----

  private Behavior<AgentCommand> install(AgentCommand.Install command) {
    ReleaseId target = command.target();
    if (registry.store().find(target).isEmpty()) {
      command.replyTo().tell(AgentReply.Failed.of(AgentReply.FailedCommand.INSTALL, "release " + target + " is not in the store; unpack it first"));
      return Behaviors.same();
    }
    String id = "i-" + installs.incrementAndGet();
    if (running == null) {
      InstallWorker.Job job = new InstallWorker.Job(id, null, target, InstallMode.BARRIER, null, tree, command.replyTo());
      watch(context.spawn(InstallWorker.first(job, context.getSelf(), application, registry, installThread),
          workerName(id)), job);
      return installing(id);
    }
    Relup relup;
    try {
      relup = compile(target);
    } catch (NoUpgradePathException | IllegalArgumentException | IllegalStateException e) {
      command.replyTo().tell(new AgentReply.Failed(AgentReply.FailedCommand.INSTALL, "plan", null, e.getMessage(), false));
      return Behaviors.same();
    }
    context.getLog().info("install={} {} -> {} mode={} hops={} steps={}", id, running, target,
        command.mode().json(), relup.hops().size(), relup.hops().stream().mapToInt(h -> h.steps().size()).sum());
    InstallWorker.Job job = new InstallWorker.Job(id, running, target, command.mode(), relup, tree, command.replyTo());
    watch(context.spawn(InstallWorker.relup(job, context.getSelf(), application, registry, installThread, this::publish),
        workerName(id)), job);
    return installing(id);
  }

  private static String workerName(String install) {
    return "install-" + install;
  }

  private void watch(ActorRef<?> worker, InstallWorker.Job job) {
    context.watchWith(worker, new WorkerStopped(job.install(), job.replyTo()));
  }

  /** Whatever ended an install, the agent must hear of it: else it would refuse installs for good. */
  private Behavior<AgentCommand> workerStopped(String install, WorkerStopped stopped) {
    if (!stopped.install().equals(install)) {
      return Behaviors.same();
    }
    context.getLog().error("install={} its worker stopped before it reported; the node runs {} as far as it knows",
        install, running);
    stopped.replyTo().tell(new AgentReply.Failed(AgentReply.FailedCommand.INSTALL, "install", null, "the install worker stopped before it "
        + "reported; check the node's log and its releases", false));
    return idle();
  }

  private Behavior<AgentCommand> installDone(InstallWorker.Done done) {
    context.getChild(workerName(done.install())).ifPresent(context::stop);
    tree = done.tree();
    InstallFailure f = done.failure();
    NodeMetrics.get(context.getSystem()).installEnded(f == null ? InstallOutcome.INSTALLED : InstallOutcome.FAILED,
        done.tookNanos());
    if (done.from() == null) {
      return firstInstallDone(done);
    }
    if (f == null) {
      states.installed(done.to());
      running = done.to();
      ScriptRunner.Outcome o = done.outcome();
      context.getLog().info("install={} done: {} -> {} mode={} actors={} took={}ms pause.max={}us pause.p99={}us",
          done.install(), done.from(), done.to(), done.mode().json(), o.actors(), done.tookNanos() / 1_000_000,
          o.pauseMaxNanos() / 1000, o.pauseP99Nanos() / 1000);
      done.replyTo().tell(new AgentReply.Installed(done.install(), done.from(), done.to(), done.mode(), done.hops(),
          o.actors(), done.tookNanos(), o.pauseMaxNanos(), o.pauseP99Nanos(), o.pauseP50Nanos()));
    } else {
      context.getLog().warn("install={} {} -> {} failed: {}{}", done.install(), done.from(), done.to(),
          f.getMessage(), f.reverted() ? "; the node reverted to " + done.from() : "; nothing was changed");
      done.replyTo().tell(new AgentReply.Failed(AgentReply.FailedCommand.INSTALL, f.step(), f.actor(), f.reason(), f.reverted()));
    }
    return idle();
  }

  private Behavior<AgentCommand> firstInstallDone(InstallWorker.Done done) {
    InstallFailure f = done.failure();
    if (f != null) {
      context.getLog().warn("install={} first release {} failed: {}", done.install(), done.to(), f.getMessage());
      done.replyTo().tell(new AgentReply.Failed(AgentReply.FailedCommand.INSTALL, f.step(), null, f.reason(), false));
      return idle();
    }
    states.firstInstall(done.to());
    running = done.to();
    context.getLog().info("install: first release {} started ({} actors) took={}ms; it is permanent",
        done.to(), tree.hosts().size(), done.tookNanos() / 1_000_000);
    done.replyTo().tell(new AgentReply.Installed("first", null, done.to(), InstallMode.BARRIER, 0,
        tree.hosts().size(), done.tookNanos(), 0, 0, 0));
    return idle();
  }

  private Relup compile(ReleaseId target) throws NoUpgradePathException {
    ReleaseId current = Optional.ofNullable(running)
        .orElseThrow(() -> new IllegalStateException("the node runs no release yet; the first install needs no plan"));
    ReleaseDescriptor from = registry.store().find(current).orElseThrow().descriptor();
    ReleaseDescriptor to = registry.store().find(target)
        .orElseThrow(() -> new IllegalArgumentException("release " + target + " is not in the store")).descriptor();
    List<ReleaseDescriptor> available = registry.store().list().stream().map(StoredRelease::descriptor).toList();
    return RelupCompiler.compile(from, to, available);
  }

  private void publish(ProgressEvent event) {
    subscribers.forEach(s -> s.tell(event));
  }

  // ---- the store ----

  private Behavior<AgentCommand> plan(AgentCommand.Plan command) {
    try {
      Relup relup = compile(command.target());
      command.replyTo().tell(new AgentReply.Planned(relup, relup.render()
          + LossyMigrations.planNotes(relup, id -> registry.store().find(id).map(StoredRelease::descriptor))));
    } catch (NoUpgradePathException | IllegalArgumentException | IllegalStateException e) {
      command.replyTo().tell(AgentReply.Failed.of(AgentReply.FailedCommand.PLAN, e.getMessage()));
    }
    return Behaviors.same();
  }

  private Behavior<AgentCommand> makePermanent(AgentCommand.MakePermanent command) {
    try {
      states.makePermanent(command.release());
      context.getLog().info("release {} is permanent", command.release());
      command.replyTo().tell(new AgentReply.Done("make-permanent " + command.release()));
    } catch (IllegalStateException e) {
      command.replyTo().tell(AgentReply.Failed.of(AgentReply.FailedCommand.MAKE_PERMANENT, e.getMessage()));
    }
    return Behaviors.same();
  }

  private Behavior<AgentCommand> setSchemaFloor(AgentCommand.SetSchemaFloor command) {
    try {
      SchemaFloors.get(context.getSystem()).set(command.release());
      command.replyTo().tell(new AgentReply.Done("schema-floor " + command.release()));
    } catch (IllegalArgumentException e) {
      command.replyTo().tell(AgentReply.Failed.of(AgentReply.FailedCommand.SCHEMA_FLOOR, e.getMessage()));
    }
    return Behaviors.same();
  }

  private List<ReleaseEntry> releaseStatuses() {
    return registry.store().list().stream()
        .map(s -> new ReleaseEntry(s.id(), states.statusOf(s.id()), s.sha256()))
        .toList();
  }

  private Behavior<AgentCommand> remove(AgentCommand.Remove command) {
    ReleaseId id = command.release();
    ReleaseStatus status = states.statusOf(id);
    if (status == ReleaseStatus.PERMANENT || status == ReleaseStatus.CURRENT) {
      command.replyTo().tell(AgentReply.Failed.of(AgentReply.FailedCommand.REMOVE, "release " + id + " is " + status + "; it cannot be removed"));
      return Behaviors.same();
    }
    if (registry.store().find(id).isEmpty()) {
      command.replyTo().tell(AgentReply.Failed.of(AgentReply.FailedCommand.REMOVE, "release " + id + " is not in the store"));
      return Behaviors.same();
    }
    try {
      if (registry.find(id).isPresent()) {
        registry.purge(id);
      }
      registry.store().remove(id);
      states.removed(id);
      context.getLog().info("release {} removed from the store", id);
      command.replyTo().tell(new AgentReply.Done("remove " + id));
    } catch (IllegalStateException e) {
      command.replyTo().tell(AgentReply.Failed.of(AgentReply.FailedCommand.REMOVE, e.getMessage()));
    }
    return Behaviors.same();
  }
}
