package dev.molt.node.agent;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.node.testing.CounterView;
import dev.molt.node.testing.MoltTestKit;
import dev.molt.node.testing.TestBundles;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.control.ReleaseStatus;
import dev.molt.protocol.envelope.Envelope;
import dev.molt.protocol.release.ReleaseId;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A node agent in a test kit, with the steps install tests repeat. */
final class AgentTestKit implements AutoCloseable {
  static final String SUPERVISOR = "counters";
  static final Duration INSTALL_WAIT = Duration.ofMinutes(2);

  final MoltTestKit molt;
  final ActorRef<AgentCommand> agent;

  AgentTestKit(MoltTestKit molt) {
    this.molt = molt;
    this.agent = molt.kit.spawn(NodeAgent.create(), "agent");
  }

  static AgentTestKit create() {
    return new AgentTestKit(MoltTestKit.create());
  }

  /** A node with 1.0.0 and 2.0.0 unpacked, running 1.0.0. */
  static AgentTestKit runningV1() {
    return runningV1("");
  }

  /** The same, with configuration on top of the defaults. */
  static AgentTestKit runningV1(String extraConfig) {
    AgentTestKit node = new AgentTestKit(MoltTestKit.create(extraConfig));
    node.unpack("1.0.0", "2.0.0");
    node.install(MoltTestKit.V1, InstallMode.BARRIER);
    return node;
  }

  /** Keys c-0 .. c-(n-1). */
  static List<String> keys(int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> "c-" + i).toList();
  }

  AgentReply ask(Function<ActorRef<AgentReply>, AgentCommand> command) {
    return ask(command, Duration.ofSeconds(30));
  }

  AgentReply ask(Function<ActorRef<AgentReply>, AgentCommand> command, Duration wait) {
    return molt.ask(agent, command, wait);
  }

  <T extends AgentReply> T expect(Class<T> type, AgentReply reply) {
    return MoltTestKit.expect(type, reply);
  }

  void unpack(String... versions) {
    for (String version : versions) {
      expect(AgentReply.Unpacked.class, ask(r -> new AgentCommand.Unpack(TestBundles.counter(version), r)));
    }
  }

  AgentReply.Installed install(ReleaseId target, InstallMode mode) {
    return expect(AgentReply.Installed.class, ask(r -> new AgentCommand.Install(target, mode, r), INSTALL_WAIT));
  }

  ApplicationTree tree() {
    return expect(AgentReply.Tree.class, ask(AgentCommand.GetTree::new)).tree();
  }

  /** The release the node runs now. */
  ReleaseId running() {
    return expect(AgentReply.Tree.class, ask(AgentCommand.GetTree::new)).running();
  }

  Map<ReleaseId, ReleaseStatus> statuses() {
    Map<ReleaseId, ReleaseStatus> statuses = new HashMap<>();
    expect(AgentReply.Releases.class, ask(AgentCommand.WhichReleases::new)).releases()
        .forEach(s -> statuses.put(s.release(), s.status()));
    return statuses;
  }

  void increment(String key, long seq) {
    agent.tell(new AgentCommand.Deliver(SUPERVISOR, key, molt.increment(seq)));
  }

  /** Starts a counter per key with one increment, and waits until each has handled it. */
  void startCounters(List<String> keys) {
    keys.forEach(k -> increment(k, 1));
    flush(keys);
  }

  /** Waits until the tree holds {@code count} dynamic counters (they start asynchronously). */
  void awaitCounters(int count) {
    molt.kit.createTestProbe().awaitAssert(Duration.ofSeconds(60), () -> {
      long started = tree().hosts("counter").stream().filter(h -> !h.child().equals("census")).count();
      if (started != count) {
        throw new AssertionError(started + " of " + count + " counters started");
      }
      return null;
    });
  }

  /**
   * Waits until every message sent so far to these keys through the agent was handled: a get per
   * key travels the same path (agent, supervisor, actor) behind them.
   */
  void flush(List<String> keys) {
    TestProbe<Envelope> probe = molt.kit.createTestProbe(Envelope.class);
    keys.forEach(k -> agent.tell(new AgentCommand.Deliver(SUPERVISOR, k,
        molt.envelopes().of("get", 1, Map.of("replyTo", probe.getRef())))));
    for (int i = 0; i < keys.size(); i++) {
      probe.receiveMessage(Duration.ofSeconds(30));
    }
  }

  /** Every dynamic counter's state, by key, asked through the tree all at once. */
  Map<String, HostReply.State> states() {
    List<ApplicationTree.Host> hosts = tree().hosts("counter").stream()
        .filter(h -> !h.child().equals("census")).toList();
    TestProbe<HostReply> probe = molt.kit.createTestProbe(HostReply.class);
    hosts.forEach(h -> h.ref().tell(new HostCommand.GetState(probe.getRef())));
    Map<String, HostReply.State> states = new HashMap<>();
    for (int i = 0; i < hosts.size(); i++) {
      HostReply.State state = (HostReply.State) probe.receiveMessage(Duration.ofSeconds(30));
      states.put(state.actor(), state);
    }
    return states;
  }

  CounterView view(String key) {
    TestProbe<Envelope> probe = molt.kit.createTestProbe(Envelope.class);
    agent.tell(new AgentCommand.Deliver(SUPERVISOR, key, molt.envelopes().of("get", 1, Map.of("replyTo", probe.getRef()))));
    return molt.envelopes().read(probe.receiveMessage(), "counter", CounterView.class);
  }

  /** The number of increments a state counted, whatever its version calls it. */
  static long counted(HostReply.State state) {
    return state.state().has("count") ? state.state().get("count").asLong() : state.state().get("total").asLong();
  }

  @Override
  public void close() {
    molt.close();
  }
}
