package dev.molt.node.testing;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.molt.node.agent.AgentCommand;
import dev.molt.node.agent.AgentReply;
import dev.molt.node.envelope.Envelopes;
import dev.molt.node.envelope.MessageType;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import dev.molt.node.release.InvalidBundleException;
import dev.molt.node.release.LoadedRelease;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.protocol.envelope.Envelope;
import dev.molt.protocol.release.ReleaseId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/** An ActorTestKit with its own release store, plus the few steps every host test takes. */
public final class MoltTestKit implements AutoCloseable {
  public static final ReleaseId V1 = new ReleaseId("counter", "1.0.0");
  public static final ReleaseId V2 = new ReleaseId("counter", "2.0.0");
  public static final ReleaseId V3 = new ReleaseId("counter", "3.0.0");

  /** The counter's increment, as stable code sends it. */
  public static final MessageType<Increment> INCREMENT = MessageType.of("increment", 1, Increment.class);

  public final ActorTestKit kit;
  public final Path store;

  private MoltTestKit(ActorTestKit kit, Path store) {
    this.kit = kit;
    this.store = store;
  }

  public static MoltTestKit create(String extraConfig) {
    try {
      return create(extraConfig, Files.createTempDirectory("molt-store-"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new ActorSystem on an existing store: a node restarted. */
  public static MoltTestKit onStore(Path store) {
    return create("", store);
  }

  private static MoltTestKit create(String extraConfig, Path store) {
    {
      Config config = ConfigFactory.parseString(extraConfig)
          .withFallback(ConfigFactory.parseMap(Map.of(
              "molt.release-store.dir", store.toString(),
              // A patient default for a loaded 2-core CI machine; no test asserts on time.
              "akka.actor.testkit.typed.single-expect-default", "15s")))
          .withFallback(ConfigFactory.load())
          // Extra config may refer to the defaults (`${akka.actor.default-dispatcher}`).
          .resolve();
      return new MoltTestKit(ActorTestKit.create(config), store);
    }
  }

  public static MoltTestKit create() {
    return create("");
  }

  public ReleaseRegistry registry() {
    return ReleaseRegistry.get(kit.system());
  }

  public Envelopes envelopes() {
    return Envelopes.get(kit.system());
  }

  /** Installs the counter bundles of the given versions, making the first one current. */
  public void installCounter(String... versions) {
    try {
      for (String version : versions) {
        LoadedRelease release = registry().unpack(TestBundles.counter(version));
        if (registry().current("counter").isEmpty()) {
          registry().makeCurrent(release.id());
        }
      }
    } catch (InvalidBundleException e) {
      throw new AssertionError(e);
    }
  }

  public HostReply ask(ActorRef<Object> host, Function<ActorRef<HostReply>, HostCommand> command) {
    TestProbe<HostReply> probe = kit.createTestProbe(HostReply.class);
    host.tell(command.apply(probe.getRef()));
    return probe.receiveMessage();
  }

  public <T extends HostReply> T ask(ActorRef<Object> host, Function<ActorRef<HostReply>, HostCommand> command,
      Class<T> expected) {
    HostReply reply = ask(host, command);
    if (!expected.isInstance(reply)) {
      throw new AssertionError("expected " + expected.getSimpleName() + " but got " + reply);
    }
    return expected.cast(reply);
  }

  /** The counter's own view of its state, asked through an envelope like any stable client. */
  public CounterView get(ActorRef<Object> host) {
    TestProbe<Envelope> probe = kit.createTestProbe(Envelope.class);
    host.tell(envelopes().of("get", 1, Map.of("replyTo", probe.getRef())));
    return envelopes().read(probe.receiveMessage(), "counter", CounterView.class);
  }

  public Envelope increment(long seq) {
    return envelopes().of(INCREMENT, new Increment(seq));
  }

  /** Asks a node agent and returns its reply. */
  public AgentReply ask(ActorRef<AgentCommand> agent, Function<ActorRef<AgentReply>, AgentCommand> command, Duration wait) {
    TestProbe<AgentReply> probe = kit.createTestProbe(AgentReply.class);
    agent.tell(command.apply(probe.getRef()));
    return probe.receiveMessage(wait);
  }

  /** {@code reply} as a {@code type}, or an assertion error naming what came instead. */
  public static <T extends AgentReply> T expect(Class<T> type, AgentReply reply) {
    if (!type.isInstance(reply)) {
      throw new AssertionError("expected " + type.getSimpleName() + " but got " + reply);
    }
    return type.cast(reply);
  }

  public static ObjectNode extra(String field, Object value) {
    return new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(Map.of(field, value));
  }

  public static JsonNode noExtra() {
    return JsonNodeFactory.instance.objectNode();
  }

  @Override
  public void close() {
    kit.shutdownTestKit();
  }
}
