package dev.molt.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import dev.molt.node.agent.AgentCommand;
import dev.molt.node.agent.AgentReply;
import dev.molt.node.agent.NodeAgent;
import dev.molt.node.agent.ProgressEvent;
import dev.molt.node.envelope.Envelopes;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.envelope.Envelope;
import dev.molt.protocol.release.ReleaseId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** One in-process node (local ActorSystem, NodeAgent, its own store) driven from the benchmark thread. */
final class BenchNode implements AutoCloseable {
  static final ReleaseId V1 = new ReleaseId("counter", "1.0.0");
  static final ReleaseId V2 = new ReleaseId("counter", "2.0.0");
  private static final Duration WAIT = Duration.ofMinutes(10);

  final ActorSystem<Void> system;
  final ActorRef<AgentCommand> agent;
  final ConcurrentLinkedQueue<ProgressEvent> events = new ConcurrentLinkedQueue<>();
  private final Envelopes envelopes;

  BenchNode(Path bundles) throws Exception {
    this(bundles, Map.of());
  }

  /** {@code settings}: configuration on top of the bench's own, e.g. another dispatcher. */
  BenchNode(Path bundles, Map<String, String> settings) throws Exception {
    Path store = Files.createTempDirectory("molt-bench-store-");
    var config = ConfigFactory.parseMap(settings)
        .withFallback(ConfigFactory.parseMap(Map.of(
            "molt.release-store.dir", store.toString(),
            "molt.host.stash-capacity", "100000",
            "molt.install.step-timeout", "300s",
            "akka.loglevel", "WARNING")))
        // As molt-node.conf does: between Akka's reference.conf and Molt's, the class path's order
        // (here a directory listing) would decide which executor Akka's dispatchers get.
        .withFallback(ConfigFactory.parseResources("molt-dispatchers.conf"))
        .withFallback(ConfigFactory.load());
    CompletableFuture<ActorRef<AgentCommand>> spawned = new CompletableFuture<>();
    system = ActorSystem.create(Behaviors.setup(ctx -> {
      ActorRef<AgentCommand> a = ctx.spawn(NodeAgent.create(), "agent");
      ActorRef<ProgressEvent> listener = ctx.spawn(Behaviors.receiveMessage(e -> {
        events.add(e);
        return Behaviors.same();
      }), "listener");
      a.tell(new AgentCommand.Subscribe(listener));
      spawned.complete(a);
      return Behaviors.empty();
    }), "bench", config);
    agent = spawned.get(30, TimeUnit.SECONDS);
    envelopes = Envelopes.get(system);
    for (String v : List.of("1.0.0", "2.0.0")) {
      AgentReply r = ask(c -> new AgentCommand.Unpack(bundles.resolve("counter-" + v + ".molt"), c));
      if (!(r instanceof AgentReply.Unpacked)) {
        throw new IllegalStateException("unpack " + v + ": " + r);
      }
    }
  }

  ReleaseRegistry registry() {
    return ReleaseRegistry.get(system);
  }

  AgentReply ask(java.util.function.Function<ActorRef<AgentReply>, AgentCommand> command) throws Exception {
    return AskPattern.<AgentCommand, AgentReply>ask(agent, command::apply, WAIT, system.scheduler())
        .toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  AgentReply.Installed install(ReleaseId target, InstallMode mode) throws Exception {
    AgentReply reply = ask(c -> new AgentCommand.Install(target, mode, c));
    if (reply instanceof AgentReply.Installed installed) {
      return installed;
    }
    throw new IllegalStateException("install " + target + " " + mode + ": " + reply);
  }

  /** Starts {@code n} counters through the tree and waits until each has handled its first message. */
  void spawnCounters(int n) throws Exception {
    CountDownLatch answered = new CountDownLatch(n);
    ActorRef<Envelope> replies = system.systemActorOf(Behaviors.receiveMessage(e -> {
      answered.countDown();
      return Behaviors.same();
    }), "spawn-replies-" + System.nanoTime(), akka.actor.typed.Props.empty());
    for (int i = 0; i < n; i++) {
      agent.tell(new AgentCommand.Deliver("counters", "c-" + i, envelopes.of("increment", 1, Map.of("seq", 1))));
      agent.tell(new AgentCommand.Deliver("counters", "c-" + i, envelopes.of("get", 1, Map.of("replyTo", replies))));
    }
    if (!answered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("counters did not start: " + answered.getCount() + " missing");
    }
  }

  Envelopes envelopes() {
    return envelopes;
  }

  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // Best effort: the next scenario starts its own system.
    }
  }
}
