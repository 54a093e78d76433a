package dev.molt.node.entity;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.node.agent.AgentCommand;
import dev.molt.node.agent.AgentReply;
import dev.molt.node.agent.NodeAgent;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.node.testing.MoltTestKit;
import dev.molt.node.testing.TestBundles;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.envelope.Envelope;
import dev.molt.protocol.release.ReleaseId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A one-node cluster with a node agent running the bank test bundles (accounts as entities). */
public final class BankNode implements AutoCloseable {
  public static final ReleaseId V1 = new ReleaseId("bank", "1.0.0");
  public static final ReleaseId V2 = new ReleaseId("bank", "2.0.0");
  /** 2.0.0's code, installed over 1.0.0 by OTP's {@code restart_application}. */
  static final ReleaseId V2_1 = new ReleaseId("bank", "2.1.0");
  /** 2.0.0 plus the entity type {@code vault}, dropped again going down to 2.0.0. */
  static final ReleaseId V3 = new ReleaseId("bank", "3.0.0");
  static final String TYPE = "account";
  private static final String CLUSTER = """
      akka.actor.provider = cluster
      akka.remote.artery.canonical.port = 0
      akka.remote.artery.canonical.hostname = 127.0.0.1
      akka.cluster.jmx.multi-mbeans-in-same-jvm = on
      # As molt-node.conf: Akka's 5 s let a loaded 2-core machine fail a test kit's start
      # ("Logger log1-Slf4jLogger did not respond with LoggerInitialized", seen in a loop run).
      akka.logger-startup-timeout = 30s
      """;

  public final MoltTestKit molt;
  final ActorRef<AgentCommand> agent;

  private BankNode(MoltTestKit molt) {
    this.molt = molt;
    Cluster cluster = Cluster.get(molt.kit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    molt.kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      if (cluster.selfMember().status() != MemberStatus.up()) {
        throw new AssertionError("not up yet: " + cluster.selfMember().status());
      }
      return null;
    });
    this.agent = molt.kit.spawn(NodeAgent.create(), "agent");
  }

  /** A node with bank 1.0.0 and 2.0.0 unpacked, running 1.0.0. */
  public static BankNode runningV1() {
    return runningV1("");
  }

  /** The same, with configuration on top. */
  static BankNode runningV1(String extraConfig) {
    BankNode node = new BankNode(MoltTestKit.create(extraConfig + "\n" + CLUSTER));
    node.unpack("1.0.0");
    node.unpack("2.0.0");
    node.install(V1, InstallMode.BARRIER);
    return node;
  }

  void unpack(String version) {
    expect(AgentReply.Unpacked.class,
        ask(r -> new AgentCommand.Unpack(TestBundles.bundle("bank", version), r), Duration.ofSeconds(60)));
  }

  AgentReply ask(Function<ActorRef<AgentReply>, AgentCommand> command, Duration wait) {
    return molt.ask(agent, command, wait);
  }

  <T extends AgentReply> T expect(Class<T> type, AgentReply reply) {
    return MoltTestKit.expect(type, reply);
  }

  public AgentReply.Installed install(ReleaseId target, InstallMode mode) {
    return expect(AgentReply.Installed.class,
        ask(r -> new AgentCommand.Install(target, mode, r), Duration.ofMinutes(2)));
  }

  Entities entities() {
    return Entities.get(molt.kit.system());
  }

  /** Asks for the account's view through sharding; the reply comes to {@code probe}. */
  void get(String account, TestProbe<Envelope> probe) {
    entities().ref(TYPE, account).tell(molt.envelopes().of("get", 1, Map.of("replyTo", probe.getRef())));
  }

  public void deposit(String account, long amount) {
    entities().ref(TYPE, account).tell(molt.envelopes().of("deposit", 1, Map.of("amount", amount)));
  }

  void close(String account) {
    entities().ref(TYPE, account).tell(molt.envelopes().of("close", 1, Map.of()));
  }

  /** The account's own view (with the version that answered), asked through sharding. */
  JsonNode get(String account) {
    TestProbe<Envelope> probe = molt.kit.createTestProbe(Envelope.class);
    get(account, probe);
    return probe.receiveMessage(Duration.ofSeconds(30)).payload();
  }

  /** Entity hosts of accounts listed on this node, where installs look. */
  List<ApplicationTree.Host> listed() {
    return entities().hosts().of("account");
  }

  @Override
  public void close() {
    molt.close();
  }
}
