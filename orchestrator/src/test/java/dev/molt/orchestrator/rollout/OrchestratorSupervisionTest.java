package dev.molt.orchestrator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.ConfigFactory;
import dev.molt.node.cluster.ClusterAgent;
import dev.molt.node.cluster.NodeName;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Accepted;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Command;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.GetRollout;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Problem;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Reply;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.RolloutView;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.StartRollout;
import dev.molt.protocol.control.AgentRequest;
import dev.molt.protocol.control.ControlMessages.Ack;
import dev.molt.protocol.control.ControlMessages.ApplySchemaFloor;
import dev.molt.protocol.control.ControlMessages.InstallRequest;
import dev.molt.protocol.control.ControlMessages.InstallResult;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.control.ControlMessages.PermanentRequest;
import dev.molt.protocol.control.ControlMessages.ReleaseEntry;
import dev.molt.protocol.control.ControlMessages.StatusRequest;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.control.ReleaseStatus;
import dev.molt.protocol.release.ReleaseId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The orchestrator singleton's supervision, in one single-node cluster JVM with a fake node
 * agent: an exception inside the orchestrator (here a malformed status from a node: a release
 * entry without a release) restarts it, the restarted orchestrator reads the rollout it had
 * completed from Distributed Data, and it carries on serving. Also: a spec the scheduler could not
 * honour is refused by the actor itself, whatever the HTTP edge let through.
 */
class OrchestratorSupervisionTest {
  static final ReleaseId V1 = new ReleaseId("counter", "1.0.0");
  static final ReleaseId V2 = new ReleaseId("counter", "2.0.0");
  static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("supervision", ConfigFactory.parseString("""
        akka.actor.provider = cluster
        akka.remote.artery.canonical.hostname = 127.0.0.1
        akka.remote.artery.canonical.port = 0
        molt.orchestrator.reconcile = off
        """).withFallback(ConfigFactory.load()));
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(20), () -> {
      assertEquals(MemberStatus.up(), cluster.selfMember().status());
      return null;
    });
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** A node agent that installs anything at once; {@code malformed} makes its statuses carry a null release. */
  static Behavior<AgentRequest> agent(AtomicBoolean malformed) {
    return Behaviors.setup(context -> {
      context.getSystem().receptionist().tell(Receptionist.register(ClusterAgent.KEY, context.getSelf()));
      String node = NodeName.of(context.getSystem());
      ReleaseId[] running = {V1};
      return Behaviors.receiveMessage(request -> {
        if (request instanceof StatusRequest s) {
          List<ReleaseEntry> held = malformed.get() ? List.of(new ReleaseEntry(null, ReleaseStatus.UNPACKED, "x"))
              : List.of(new ReleaseEntry(V1, ReleaseStatus.UNPACKED, "a"), new ReleaseEntry(V2, ReleaseStatus.UNPACKED, "b"));
          s.replyTo().tell(new NodeStatus(node, running[0], running[0], held, false, 1, 0, 0, 0, true, 0, null));
        } else if (request instanceof InstallRequest i) {
          running[0] = i.release();
          i.replyTo().tell(new InstallResult(node, i.release(), true, null, null, null, false, 1, 1, 1, 1));
        } else if (request instanceof PermanentRequest p) {
          p.replyTo().tell(new Ack(node, true, null));
        } else if (request instanceof ApplySchemaFloor a) {
          a.replyTo().tell(new Ack(node, true, null));
        }
        return Behaviors.same();
      });
    });
  }

  @Test
  void anExceptionRestartsTheOrchestratorFromItsDurableState() {
    AtomicBoolean malformed = new AtomicBoolean(false);
    testKit.spawn(agent(malformed), "fake-agent");
    ActorRef<Command> orchestrator = testKit.spawn(OrchestratorSingleton.behavior(), "orchestrator");
    TestProbe<Reply> probe = testKit.createTestProbe();
    RolloutSpec toV2 = new RolloutSpec(V2, "1", false, 0, InstallMode.BARRIER, true);

    // The agent must be listed first: "no nodes" until then.
    String[] id = new String[1];
    probe.awaitAssert(Duration.ofSeconds(20), () -> {
      Reply reply = ask(orchestrator, r -> new StartRollout(toV2, "start-1", r), Duration.ofSeconds(5));
      assertTrue(reply instanceof Accepted, reply.toString());
      id[0] = ((Accepted) reply).id();
      return null;
    });
    probe.awaitAssert(Duration.ofSeconds(20), () -> {
      Reply view = ask(orchestrator, r -> new GetRollout(id[0], r), Duration.ofSeconds(3));
      assertEquals(RolloutPhase.COMPLETED, ((RolloutView) view).rollout().phase());
      return null;
    });

    // A malformed status makes the orchestrator throw while starting the next rollout.
    malformed.set(true);
    orchestrator.tell(new StartRollout(new RolloutSpec(V1, "1", false, 0, InstallMode.BARRIER, true), probe.getRef()));
    probe.expectNoMessage(Duration.ofSeconds(2));
    malformed.set(false);

    // Restarted (not stopped): it answers, and knows the completed rollout only from Distributed Data.
    probe.awaitAssert(Duration.ofSeconds(20), () -> {
      RolloutView view = (RolloutView) ask(orchestrator, r -> new GetRollout(id[0], r), Duration.ofSeconds(2));
      assertEquals(RolloutPhase.COMPLETED, view.rollout().phase());
      assertEquals(RequestedAction.START, view.rollout().requests().get("start-1").action(), "its request ids came back with it");
      return null;
    });
    // The same start request id answers the first result and starts nothing.
    orchestrator.tell(new StartRollout(toV2, "start-1", probe.getRef()));
    assertEquals(new Accepted(id[0]), probe.receiveMessage());

    // A pause the scheduler cannot honour is refused by the actor (it used to throw at the first gate).
    orchestrator.tell(new StartRollout(new RolloutSpec(V1, "1", false, 30_000_000_000L, InstallMode.BARRIER, true), probe.getRef()));
    Problem refused = (Problem) probe.receiveMessage();
    assertEquals(400, refused.status());
    assertTrue(refused.detail().contains("pauseBetweenBatches must be 0.." + RolloutSpec.MAX_PAUSE_MILLIS + " ms, was 30000000000"),
        refused.detail());

    // And it still rolls out.
    probe.awaitAssert(Duration.ofSeconds(20), () -> {
      Reply reply = ask(orchestrator, r -> new StartRollout(new RolloutSpec(V1, "1", false, 0, InstallMode.BARRIER, true), r),
          Duration.ofSeconds(5));
      assertTrue(reply instanceof Accepted, reply.toString());
      return null;
    });
  }

  /**
   * One attempt of a retried ask, with a probe of its own: a reply that comes after its attempt gave
   * up (the orchestrator's start can wait seconds for the credentials' key derivation on a loaded
   * machine) must not be read as the answer to the next attempt, or to a later question.
   */
  private static Reply ask(ActorRef<Command> orchestrator, java.util.function.Function<ActorRef<Reply>, Command> command,
      Duration within) {
    TestProbe<Reply> attempt = testKit.createTestProbe();
    orchestrator.tell(command.apply(attempt.getRef()));
    return attempt.receiveMessage(within);
  }
}
