package dev.molt.node.supervision;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.ChildFailed;
import akka.actor.typed.PostStop;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.molt.node.host.HostActor;
import dev.molt.node.host.Peers;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.protocol.release.ChildSpec;
import dev.molt.protocol.release.Restart;
import dev.molt.protocol.release.Strategy;
import dev.molt.protocol.release.SupervisorSpec;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A supervisor built from a declarative {@link SupervisorSpec}, with OTP's semantics: static
 * children started in order; one-for-one, one-for-all or rest-for-one restarts; permanent,
 * transient and temporary children; at most {@code intensity} restarts in {@code periodSeconds},
 * after which it fails itself and its own supervisor decides. Optionally it starts one dynamic
 * child per key on demand.
 *
 * <p>It restarts children itself (watching them) rather than through Akka's per-actor restart,
 * because one-for-all and rest-for-one restart siblings. A restarted child runs the current release
 * with its initial state, as in OTP.
 */
public final class TreeSupervisor extends AbstractBehavior<SupervisorCommand> {

  public static Behavior<SupervisorCommand> create(SupervisorSpec spec, ApplicationTree tree) {
    return Behaviors.setup(context -> new TreeSupervisor(context, spec, tree));
  }

  /**
   * Spawns the root supervisor of a tree and lists it at once: a message delivered right after
   * an install waits in its mailbox instead of finding no supervisor.
   */
  public static ActorRef<SupervisorCommand> spawnRoot(akka.actor.typed.javadsl.ActorContext<?> parent, SupervisorSpec spec,
      ApplicationTree tree, String actorName) {
    ActorRef<SupervisorCommand> root = parent.spawn(create(spec, tree), actorName);
    tree.addSupervisor(spec.name(), root);
    return root;
  }

  private record Running(String name, ActorRef<?> ref, ChildSpec spec, Restart restart, boolean dynamic) {}

  private final ApplicationTree tree;
  private final ReleaseRegistry registry;
  private final Peers peers;
  private final String name;
  private SupervisorSpec spec;
  private final Map<String, Running> running = new LinkedHashMap<>();
  private final Map<ActorRef<?>, String> names = new HashMap<>();
  private final Set<String> stopping = new HashSet<>();
  private final Map<String, ActorRef<SupervisorReply>> stopReplies = new HashMap<>();
  private final Set<String> restartGroup = new HashSet<>();
  private final Set<String> toRestart = new HashSet<>();
  private final Deque<Long> restarts = new ArrayDeque<>();
  /** Static children that have not answered their first message yet, and who waits for them all. */
  private final Set<String> starting = new HashSet<>();
  private final List<ActorRef<SupervisorReply>> startWaiters = new ArrayList<>();

  private TreeSupervisor(ActorContext<SupervisorCommand> context, SupervisorSpec spec, ApplicationTree tree) {
    super(context);
    this.tree = tree;
    this.registry = ReleaseRegistry.get(context.getSystem());
    this.peers = (supervisor, child) -> tree.host(supervisor, childName(child)).map(ApplicationTree.Host::ref);
    this.name = spec.name();
    this.spec = spec;
    tree.addSupervisor(name, context.getSelf());
    for (ChildSpec child : spec.children()) {
      start(child);
    }
  }

  @Override
  public Receive<SupervisorCommand> createReceive() {
    return newReceiveBuilder()
        .onMessage(SupervisorCommand.Deliver.class, this::deliver)
        .onMessage(SupervisorCommand.StartChild.class, this::startChild)
        .onMessage(SupervisorCommand.StopChild.class, this::stopChild)
        .onMessage(SupervisorCommand.UpdateSpec.class, this::updateSpec)
        .onMessage(SupervisorCommand.Describe.class, this::describe)
        .onMessage(SupervisorCommand.AwaitStarted.class, this::awaitStarted)
        .onMessage(SupervisorCommand.ChildStarted.class, this::childStarted)
        .onSignal(ChildFailed.class, failed -> childGone(failed.getRef(), failed.getCause()))
        .onSignal(Terminated.class, terminated -> childGone(terminated.getRef(), null))
        .onSignal(PostStop.class, signal -> {
          // Children stop with their supervisor: none of them may stay listed in the tree.
          running.values().forEach(c -> tree.removeHost(name, c.name(), c.ref()));
          tree.removeSupervisor(name, getContext().getSelf());
          return this;
        })
        .build();
  }

  private Behavior<SupervisorCommand> deliver(SupervisorCommand.Deliver deliver) {
    if (deliver.key() == null || deliver.key().isEmpty() || spec.child(childName(deliver.key())).isPresent()) {
      getContext().getLog().warn("supervisor {}: key '{}' is empty or names a static child; message to dead letters",
          name, deliver.key());
      getContext().getSystem().deadLetters().tell(deliver.message());
      return this;
    }
    String child = childName(deliver.key());
    Running target = running.get(child);
    if (target == null || stopping.contains(child)) {
      if (spec.dynamic() == null) {
        getContext().getLog().warn("supervisor {} has no dynamic children: message for '{}' goes to dead letters", name, deliver.key());
        getContext().getSystem().deadLetters().tell(deliver.message());
        return this;
      }
      if (stopping.contains(child)) {
        // Stopping: the name is still taken; the message would reach a dying actor.
        getContext().getSystem().deadLetters().tell(deliver.message());
        getContext().getLog().warn("supervisor {}: '{}' is stopping; message to dead letters", name, deliver.key());
        return this;
      }
      startDynamic(deliver.key(), deliver.message());
      return this;
    }
    @SuppressWarnings("unchecked")
    ActorRef<Object> ref = (ActorRef<Object>) target.ref();
    ref.tell(deliver.message());
    return this;
  }

  private Behavior<SupervisorCommand> startChild(SupervisorCommand.StartChild command) {
    var child = spec.child(command.child());
    if (child.isEmpty()) {
      command.replyTo().tell(new SupervisorReply.Refused(name, "start-child " + command.child(), "no such child in the spec"));
    } else if (running.containsKey(command.child())) {
      command.replyTo().tell(new SupervisorReply.Refused(name, "start-child " + command.child(), "already running"));
    } else {
      start(child.get());
      command.replyTo().tell(new SupervisorReply.Done(name, "start-child " + command.child()));
    }
    return this;
  }

  private Behavior<SupervisorCommand> stopChild(SupervisorCommand.StopChild command) {
    Running child = running.get(command.child());
    if (child == null) {
      command.replyTo().tell(new SupervisorReply.Done(name, "stop-child " + command.child() + " (not running)"));
      return this;
    }
    stopping.add(child.name());
    stopReplies.put(child.name(), command.replyTo());
    getContext().stop(child.ref());
    return this;
  }

  private Behavior<SupervisorCommand> updateSpec(SupervisorCommand.UpdateSpec command) {
    if (!command.spec().name().equals(name)) {
      command.replyTo().tell(new SupervisorReply.Refused(name, "update-supervisor", "spec is for '" + command.spec().name() + "'"));
      return this;
    }
    spec = command.spec();
    command.replyTo().tell(new SupervisorReply.Done(name, "update-supervisor"));
    return this;
  }

  private Behavior<SupervisorCommand> describe(SupervisorCommand.Describe command) {
    command.replyTo().tell(new SupervisorReply.Description(name, spec, List.copyOf(running.keySet())));
    return this;
  }

  private Behavior<SupervisorCommand> awaitStarted(SupervisorCommand.AwaitStarted command) {
    startWaiters.add(command.replyTo());
    answerStartWaiters(null);
    return this;
  }

  private Behavior<SupervisorCommand> childStarted(SupervisorCommand.ChildStarted started) {
    Running child = running.get(started.child());
    if (child == null || !child.ref().equals(started.ref())) {
      return this; // an incarnation that is gone: its successor was asked in turn
    }
    if (started.failure() != null) {
      answerStartWaiters("static child '" + started.child() + "' did not start: " + started.failure());
    } else {
      starting.remove(started.child());
      answerStartWaiters(null);
    }
    return this;
  }

  /** Tells the waiters that every static child started, or why one did not ({@code failure}). */
  private void answerStartWaiters(String failure) {
    if (failure == null && !starting.isEmpty()) {
      return;
    }
    for (ActorRef<SupervisorReply> waiter : startWaiters) {
      waiter.tell(failure == null ? new SupervisorReply.Done(name, "started")
          : new SupervisorReply.Refused(name, "start", failure));
    }
    startWaiters.clear();
  }

  private Behavior<SupervisorCommand> childGone(ActorRef<Void> ref, Throwable cause) {
    String child = names.remove(ref);
    if (child == null) {
      return this;
    }
    Running gone = running.remove(child);
    tree.removeHost(name, child, ref);
    boolean wasStarting = starting.remove(child);
    if (stopping.remove(child)) {
      answerStartWaiters(null);
      ActorRef<SupervisorReply> replyTo = stopReplies.remove(child);
      if (replyTo != null) {
        replyTo.tell(new SupervisorReply.Done(name, "stop-child " + child));
      }
      if (restartGroup.remove(child) && restartGroup.isEmpty()) {
        restartStaticChildrenNotRunning();
      }
      return this;
    }
    boolean restart = switch (gone.restart()) {
      case PERMANENT -> true;
      case TRANSIENT -> cause != null;
      case TEMPORARY -> false;
    };
    if (cause != null) {
      getContext().getLog().warn("supervisor {}: child {} failed: {}{}", name, child, cause.toString(),
          restart ? "; restarting (" + spec.strategy().json() + ")" : "");
    }
    if (!restart) {
      if (wasStarting) {
        answerStartWaiters("static child '" + child + "' stopped before it started" + (cause != null ? ": " + cause : ""));
      }
      return this;
    }
    if (!withinIntensity()) {
      String reason = "supervisor " + name + " reached its restart intensity (" + spec.intensity() + " restarts in "
          + spec.periodSeconds() + "s): giving up";
      getContext().getLog().error(reason);
      throw new IllegalStateException(reason, cause);
    }
    if (gone.dynamic() || spec.strategy() == Strategy.ONE_FOR_ONE) {
      if (gone.dynamic()) {
        startDynamic(keyOf(gone), null);
      } else {
        // From the current spec: an update may have changed it since this child started.
        start(spec.child(child).orElse(gone.spec()));
      }
      return this;
    }
    // one-for-all: every other static child; rest-for-one: those started after the failed one.
    List<String> order = spec.children().stream().map(ChildSpec::name).toList();
    int failedAt = order.indexOf(child);
    toRestart.add(child);
    for (Running other : List.copyOf(running.values())) {
      if (other.dynamic()) {
        continue;
      }
      int at = order.indexOf(other.name());
      if (spec.strategy() == Strategy.ONE_FOR_ALL || at > failedAt) {
        restartGroup.add(other.name());
        if (other.restart() != Restart.TEMPORARY) {
          toRestart.add(other.name());
        }
        stopping.add(other.name());
        getContext().stop(other.ref());
      }
    }
    if (restartGroup.isEmpty()) {
      restartStaticChildrenNotRunning();
    }
    return this;
  }

  /** Starts, in spec order, the children of the last group restart (temporary ones stay down). */
  private void restartStaticChildrenNotRunning() {
    for (ChildSpec child : spec.children()) {
      if (toRestart.contains(child.name()) && !running.containsKey(child.name())) {
        start(child);
      }
    }
    toRestart.clear();
  }

  private boolean withinIntensity() {
    long now = System.nanoTime();
    long window = spec.periodSeconds() * 1_000_000_000L;
    while (!restarts.isEmpty() && now - restarts.peekFirst() > window) {
      restarts.removeFirst();
    }
    restarts.addLast(now);
    return restarts.size() <= spec.intensity();
  }

  private void start(ChildSpec child) {
    ActorRef<?> ref;
    if (child.nestsSupervisor()) {
      ActorRef<SupervisorCommand> nested = getContext().spawn(create(child.supervisor(), tree), child.name());
      // Listed at spawn, not when it starts, so deliveries never race its start.
      tree.addSupervisor(child.supervisor().name(), nested);
      ref = nested;
    } else {
      ref = registry.spawnListed(() -> {
        ActorRef<Object> host = getContext().spawn(HostActor.create(child.behaviour(), child.start(), peers), child.name(),
            registry.settings().hostDispatcher().selector());
        tree.addHost(new ApplicationTree.Host(name, child.name(), child.behaviour(), host));
        return host;
      });
    }
    getContext().watch(ref);
    running.put(child.name(), new Running(child.name(), ref, child, child.restart(), false));
    names.put(ref, child.name());
    awaitStart(child, ref);
  }

  /**
   * Asks a new static child its first question: a worker its status (answered once its start state
   * and activation ran), a nested supervisor whether its own children started. A child that fails
   * first is restarted, and its successor asked in turn.
   */
  @SuppressWarnings("unchecked")
  private void awaitStart(ChildSpec child, ActorRef<?> ref) {
    starting.add(child.name());
    Duration timeout = registry.settings().installStepTimeout();
    if (child.nestsSupervisor()) {
      getContext().ask(SupervisorReply.class, (ActorRef<SupervisorCommand>) ref, timeout, SupervisorCommand.AwaitStarted::new,
          (reply, failure) -> new SupervisorCommand.ChildStarted(child.name(), ref, failure != null ? failure
              : reply instanceof SupervisorReply.Refused refused ? new IllegalStateException(refused.reason()) : null));
    } else {
      getContext().ask(HostReply.class, (ActorRef<Object>) ref, timeout, HostCommand.GetStatus::new,
          (reply, failure) -> new SupervisorCommand.ChildStarted(child.name(), ref, failure));
    }
  }

  /**
   * {@code first}, when not null, is in the child's mailbox before the child is listed: a sender who
   * finds it listed (the admin route asks the agent) and tells it directly comes after, in order.
   */
  private Running startDynamic(String key, Object first) {
    String child = childName(key);
    String behaviour = spec.dynamic().behaviour();
    ActorRef<Object> host = registry.spawnListed(() -> {
      ActorRef<Object> spawned = getContext().spawn(HostActor.create(behaviour, TextNode.valueOf(key), peers), child,
          registry.settings().hostDispatcher().selector());
      if (first != null) {
        spawned.tell(first);
      }
      tree.addHost(new ApplicationTree.Host(name, child, behaviour, spawned));
      return spawned;
    });
    getContext().watch(host);
    Running started = new Running(child, host, ChildSpec.worker(child, behaviour, TextNode.valueOf(key)),
        spec.dynamic().restart(), true);
    running.put(child, started);
    names.put(host, child);
    return started;
  }

  private static String keyOf(Running dynamicChild) {
    return dynamicChild.spec().start().asText();
  }

  /** Actor names allow few characters; keys are URL-encoded into them. */
  public static String childName(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8);
  }
}
