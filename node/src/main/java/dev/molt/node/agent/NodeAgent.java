package dev.molt.node.agent;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dev.molt.node.release.InvalidBundleException;
import dev.molt.node.release.LoadedRelease;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.release.StoredRelease;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.node.supervision.SupervisorCommand;
import dev.molt.node.supervision.TreeSupervisor;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node agent, OTP's {@code release_handler}: owns the release store's statuses, runs the
 * application's supervision tree on the current release, and installs releases by compiling and
 * running a plan. A restart boots the permanent release; a store without one boots an empty node
 * that waits for its first install.
 *
 * <p>Installs and unpacks run one at a time on the agent's own thread (they block on disk and on
 * thousands of asks), never on a dispatcher thread; their results come back as messages. The
 * release code they run goes to abandonable release-code threads with a bound, so a release that
 * never returns fails its upload or install and never holds this thread for good.
 */
public final class NodeAgent extends AbstractBehavior<AgentCommand> {

  public static Behavior<AgentCommand> create() {
    return Behaviors.setup(NodeAgent::new).narrow();
  }

  /** Internal messages, kept out of the public protocol. */
  private interface Internal extends AgentCommand {}

  private record InstallDone(String install, ReleaseId from, ReleaseId to, InstallMode mode, int hops, long tookNanos,
      ScriptRunner.Outcome outcome, InstallFailure failure, ActorRef<AgentReply> replyTo) implements Internal {}

  private record FirstInstallLoaded(ReleaseId target, String failure, long started, ActorRef<AgentReply> replyTo)
      implements Internal {}

  private record UnpackDone(AgentReply reply, ActorRef<AgentReply> replyTo) implements Internal {}

  private record ReplaceTree(ReleaseId release, CompletableFuture<ApplicationTree> started) implements Internal {}

  private static final AtomicInteger installs = new AtomicInteger();

  private final ReleaseRegistry registry;
  private final ReleaseStates states;
  private final ExecutorService worker;
  private final List<ActorRef<ProgressEvent>> subscribers = new CopyOnWriteArrayList<>();
  private volatile ApplicationTree tree = new ApplicationTree(null);
  private ActorRef<SupervisorCommand> root;
  private int generation;
  private String installing;
  /** The release the tree runs now; null while the node runs nothing (empty store, failed boot). */
  private ReleaseId running;

  private NodeAgent(ActorContext<AgentCommand> context) {
    super(context);
    this.registry = ReleaseRegistry.get(context.getSystem());
    this.states = ReleaseStates.open(registry.store().root());
    this.worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "molt-install-" + context.getSystem().name());
      t.setDaemon(true);
      return t;
    });
    boot();
  }

  private void boot() {
    Optional<ReleaseId> permanent = states.permanent();
    if (permanent.isEmpty()) {
      getContext().getLog().info("node agent: no permanent release in {}; waiting for a first install", registry.store().root());
      return;
    }
    try {
      registry.load(permanent.get());
      registry.makeCurrent(permanent.get());
      startTree(permanent.get());
      states.booted();
      running = permanent.get();
      getContext().getLog().info("node agent: booted the permanent release {} ({} actors started)",
          permanent.get(), tree.hosts().size());
    } catch (InvalidBundleException | RuntimeException e) {
      getContext().getLog().error("node agent: cannot boot the permanent release {}: {}; the node runs nothing until "
          + "an install", permanent.get(), e.getMessage());
    }
  }

  @Override
  public Receive<AgentCommand> createReceive() {
    return newReceiveBuilder()
        .onMessage(AgentCommand.Unpack.class, this::unpack)
        .onMessage(AgentCommand.Plan.class, this::plan)
        .onMessage(AgentCommand.Install.class, this::install)
        .onMessage(AgentCommand.MakePermanent.class, this::makePermanent)
        .onMessage(AgentCommand.WhichReleases.class, this::whichReleases)
        .onMessage(AgentCommand.Remove.class, this::remove)
        .onMessage(AgentCommand.Deliver.class, this::deliver)
        .onMessage(AgentCommand.GetTree.class, c -> {
          c.replyTo().tell(new AgentReply.Tree(tree, running));
          return this;
        })
        .onMessage(AgentCommand.DescribeNode.class, c -> {
          c.replyTo().tell(new AgentReply.NodeInfo(running, states.permanent().orElse(null), releaseStatuses(),
              installing != null, tree.hosts().size()));
          return this;
        })
        .onMessage(AgentCommand.Subscribe.class, c -> {
          subscribers.add(c.subscriber());
          return this;
        })
        .onMessage(InstallDone.class, this::installDone)
        .onMessage(FirstInstallLoaded.class, this::firstInstallLoaded)
        .onMessage(UnpackDone.class, d -> {
          if (d.reply() instanceof AgentReply.Failed f) {
            getContext().getLog().warn("unpack refused ({}): {}", f.step(), f.reason());
          }
          d.replyTo().tell(d.reply());
          return this;
        })
        .onMessage(ReplaceTree.class, this::replaceTree)
        .onSignal(akka.actor.typed.Terminated.class, t -> {
          if (t.getRef().equals(root)) {
            getContext().getLog().error("the application's root supervisor stopped ({}): the node runs no actors of {} "
                + "until the next install or restart", t instanceof akka.actor.typed.ChildFailed f ? f.getCause() : "stopped",
                running);
            root = null;
          }
          return this;
        })
        .onSignal(PostStop.class, s -> {
          worker.shutdownNow();
          return this;
        })
        .build();
  }

  private Behavior<AgentCommand> unpack(AgentCommand.Unpack command) {
    ActorRef<AgentCommand> self = getContext().getSelf();
    worker.execute(() -> {
      AgentReply reply;
      try {
        LoadedRelease release = registry.install(command.bundle());
        reply = new AgentReply.Unpacked(release.id(), release.sha256());
      } catch (dev.molt.node.release.ReleaseConflictException e) {
        reply = new AgentReply.Failed("unpack", "conflict", null, e.getMessage(), false);
      } catch (InvalidBundleException e) {
        reply = new AgentReply.Failed("unpack", "invalid", null, e.getMessage(), false);
      } catch (RuntimeException e) {
        reply = AgentReply.Failed.of("unpack", "the node could not store it: " + e.getMessage());
      }
      self.tell(new UnpackDone(reply, command.replyTo()));
    });
    return this;
  }

  private Behavior<AgentCommand> plan(AgentCommand.Plan command) {
    try {
      Relup relup = compile(command.target());
      command.replyTo().tell(new AgentReply.Planned(relup, relup.render()));
    } catch (NoUpgradePathException | IllegalArgumentException | IllegalStateException e) {
      command.replyTo().tell(AgentReply.Failed.of("plan", e.getMessage()));
    }
    return this;
  }

  private Behavior<AgentCommand> install(AgentCommand.Install command) {
    ReleaseId target = command.target();
    if (installing != null) {
      command.replyTo().tell(AgentReply.Failed.of("install", "install " + installing + " is running"));
      return this;
    }
    if (registry.store().find(target).isEmpty()) {
      command.replyTo().tell(AgentReply.Failed.of("install", "release " + target + " is not in the store; unpack it first"));
      return this;
    }
    String id = "i-" + installs.incrementAndGet();
    Optional<ReleaseId> current = Optional.ofNullable(running);
    if (current.isEmpty()) {
      installing = id;
      ActorRef<AgentCommand> self = getContext().getSelf();
      long started = System.nanoTime();
      worker.execute(() -> {
        String failure = null;
        try {
          registry.load(target);
        } catch (InvalidBundleException | RuntimeException e) {
          failure = e.getMessage();
        }
        self.tell(new FirstInstallLoaded(target, failure, started, command.replyTo()));
      });
      return this;
    }
    Relup relup;
    try {
      relup = compile(target);
    } catch (NoUpgradePathException | IllegalArgumentException | IllegalStateException e) {
      command.replyTo().tell(new AgentReply.Failed("install", "plan", null, e.getMessage(), false));
      return this;
    }
    installing = id;
    getContext().getLog().info("install={} {} -> {} mode={} hops={} steps={}", id, current.get(), target,
        command.mode().json(), relup.hops().size(), relup.hops().stream().mapToInt(h -> h.steps().size()).sum());
    ActorRef<AgentCommand> self = getContext().getSelf();
    Asks asks = new Asks(getContext().getSystem(), registry.settings().installStepTimeout(),
        registry.settings().installMaxInFlight());
    ScriptRunner runner = new ScriptRunner(id, registry, new ScriptRunner.Node() {
      public ApplicationTree tree() {
        return tree;
      }

      public ApplicationTree restartTree(ReleaseId release) {
        CompletableFuture<ApplicationTree> started = new CompletableFuture<>();
        self.tell(new ReplaceTree(release, started));
        try {
          return started.get(registry.settings().installStepTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
          throw new IllegalStateException("the application did not restart on " + release + ": " + e, e);
        }
      }
    }, asks, command.mode(), this::publish);
    long started = System.nanoTime();
    ReleaseId from = current.get();
    worker.execute(() -> {
      ScriptRunner.Outcome outcome = null;
      InstallFailure failure = null;
      try {
        outcome = runner.run(relup);
      } catch (InstallFailure e) {
        failure = e;
      } catch (RuntimeException e) {
        failure = new InstallFailure("install", null, e.toString());
      } finally {
        // Whatever ended the install, the agent must hear of it: else it stays "installing" for good.
        if (outcome == null && failure == null) {
          failure = new InstallFailure("install", null, "the install thread died");
        }
        self.tell(new InstallDone(id, from, target, command.mode(), relup.hops().size(), System.nanoTime() - started,
            outcome, failure, command.replyTo()));
      }
    });
    return this;
  }

  private Behavior<AgentCommand> firstInstallLoaded(FirstInstallLoaded loaded) {
    installing = null;
    if (loaded.failure() != null) {
      loaded.replyTo().tell(new AgentReply.Failed("install", "load", null, loaded.failure(), false));
      return this;
    }
    registry.makeCurrent(loaded.target());
    startTree(loaded.target());
    states.firstInstall(loaded.target());
    running = loaded.target();
    long took = System.nanoTime() - loaded.started();
    getContext().getLog().info("install: first release {} started ({} actors) took={}ms; it is permanent",
        loaded.target(), tree.hosts().size(), took / 1_000_000);
    loaded.replyTo().tell(new AgentReply.Installed("first", null, loaded.target(), InstallMode.BARRIER, 0,
        tree.hosts().size(), took, 0, 0, 0));
    return this;
  }

  private Behavior<AgentCommand> installDone(InstallDone done) {
    installing = null;
    if (done.failure() == null) {
      states.installed(done.to());
      running = done.to();
      ScriptRunner.Outcome o = done.outcome();
      getContext().getLog().info("install={} done: {} -> {} mode={} actors={} took={}ms pause.max={}us pause.p99={}us",
          done.install(), done.from(), done.to(), done.mode().json(), o.actors(), done.tookNanos() / 1_000_000,
          o.pauseMaxNanos() / 1000, o.pauseP99Nanos() / 1000);
      done.replyTo().tell(new AgentReply.Installed(done.install(), done.from(), done.to(), done.mode(), done.hops(),
          o.actors(), done.tookNanos(), o.pauseMaxNanos(), o.pauseP99Nanos(), o.pauseP50Nanos()));
    } else {
      InstallFailure f = done.failure();
      getContext().getLog().warn("install={} {} -> {} failed: {}{}", done.install(), done.from(), done.to(),
          f.getMessage(), f.reverted() ? "; the node reverted to " + done.from() : "; nothing was changed");
      done.replyTo().tell(new AgentReply.Failed("install", f.step(), f.actor(), f.reason(), f.reverted()));
    }
    return this;
  }

  private Behavior<AgentCommand> makePermanent(AgentCommand.MakePermanent command) {
    try {
      states.makePermanent(command.release());
      getContext().getLog().info("release {} is permanent", command.release());
      command.replyTo().tell(new AgentReply.Done("make-permanent " + command.release()));
    } catch (IllegalStateException e) {
      command.replyTo().tell(AgentReply.Failed.of("make-permanent", e.getMessage()));
    }
    return this;
  }

  private Behavior<AgentCommand> whichReleases(AgentCommand.WhichReleases command) {
    command.replyTo().tell(new AgentReply.Releases(releaseStatuses()));
    return this;
  }

  private List<ReleaseStatus> releaseStatuses() {
    return registry.store().list().stream()
        .map(s -> new ReleaseStatus(s.id(), states.statusOf(s.id()), s.sha256()))
        .toList();
  }

  private Behavior<AgentCommand> remove(AgentCommand.Remove command) {
    ReleaseId id = command.release();
    if (installing != null) {
      command.replyTo().tell(AgentReply.Failed.of("remove", "install " + installing + " is running; try again after it"));
      return this;
    }
    String status = states.statusOf(id);
    if (status.equals(ReleaseStatus.PERMANENT) || status.equals(ReleaseStatus.CURRENT)) {
      command.replyTo().tell(AgentReply.Failed.of("remove", "release " + id + " is " + status + "; it cannot be removed"));
      return this;
    }
    if (registry.store().find(id).isEmpty()) {
      command.replyTo().tell(AgentReply.Failed.of("remove", "release " + id + " is not in the store"));
      return this;
    }
    try {
      if (registry.find(id).isPresent()) {
        registry.unload(id);
      }
      registry.store().remove(id);
      states.removed(id);
      getContext().getLog().info("release {} removed from the store", id);
      command.replyTo().tell(new AgentReply.Done("remove " + id));
    } catch (IllegalStateException e) {
      command.replyTo().tell(AgentReply.Failed.of("remove", e.getMessage()));
    }
    return this;
  }

  private Behavior<AgentCommand> deliver(AgentCommand.Deliver deliver) {
    Optional<ActorRef<SupervisorCommand>> supervisor = tree.supervisor(deliver.supervisor());
    if (supervisor.isPresent()) {
      supervisor.get().tell(new SupervisorCommand.Deliver(deliver.key(), deliver.message()));
    } else {
      getContext().getLog().warn("no running supervisor '{}': message for '{}' to dead letters", deliver.supervisor(), deliver.key());
      getContext().getSystem().deadLetters().tell(deliver.message());
    }
    return this;
  }

  private Behavior<AgentCommand> replaceTree(ReplaceTree command) {
    try {
      if (root != null) {
        getContext().stop(root);
        root = null;
      }
      startTree(command.release());
      command.started().complete(tree);
    } catch (RuntimeException e) {
      command.started().completeExceptionally(e);
    }
    return this;
  }

  private void startTree(ReleaseId release) {
    ReleaseDescriptor descriptor = registry.store().find(release).map(StoredRelease::descriptor)
        .orElseThrow(() -> new IllegalStateException("release " + release + " is not in the store"));
    ApplicationTree next = new ApplicationTree(release);
    if (descriptor.supervision() != null) {
      root = TreeSupervisor.spawnRoot(getContext(), descriptor.supervision(), next, "app-" + (++generation));
      getContext().watch(root);
    }
    tree = next;
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
}
