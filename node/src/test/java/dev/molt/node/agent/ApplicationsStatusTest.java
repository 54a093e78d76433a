package dev.molt.node.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.molt.node.cluster.ClusterAgent;
import dev.molt.protocol.control.AgentRequest;
import dev.molt.protocol.control.ApplicationState;
import dev.molt.protocol.control.ControlMessages.ApplicationStatus;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.control.ControlMessages.StatusRequest;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.release.ReleaseId;
import dev.molt.protocol.release.StartType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The status a node sends the orchestrator (and {@code /molt/cluster} shows) lists its applications:
 * counter-2.6.0 runs 'counter' and the permanent 'audit'; once 'audit' gives up, it is listed failed
 * with the reason and the node is not ready.
 */
class ApplicationsStatusTest {
  private static final ReleaseId TWO_APPS = new ReleaseId("counter", "2.6.0");

  @Test
  void theNodeStatusListsEveryApplicationAndWhyOneFailed() {
    try (AgentTestKit node = AgentTestKit.runningV1("""
        akka.actor.provider = cluster
        akka.remote.artery.canonical.port = 0
        """)) {
      node.unpack("2.6.0");
      node.install(TWO_APPS, InstallMode.BARRIER);
      ActorRef<AgentRequest> clusterAgent = node.molt.kit.spawn(ClusterAgent.create(node.agent), "cluster-agent");
      TestProbe<NodeStatus> statuses = node.molt.kit.createTestProbe(NodeStatus.class);

      clusterAgent.tell(new StatusRequest(statuses.getRef()));
      assertEquals(List.of(new ApplicationStatus("audit", StartType.PERMANENT, ApplicationState.RUNNING, null),
          new ApplicationStatus("counter", StartType.PERMANENT, ApplicationState.RUNNING, null)),
          statuses.receiveMessage(Duration.ofSeconds(30)).applications());

      ApplicationsInstallTest.stopAudit(node);

      statuses.awaitAssert(Duration.ofSeconds(30), () -> {
        clusterAgent.tell(new StatusRequest(statuses.getRef()));
        NodeStatus status = statuses.receiveMessage(Duration.ofSeconds(30));
        ApplicationStatus audit = status.applications().get(0);
        assertEquals(ApplicationState.FAILED, audit.state(), status.applications().toString());
        assertTrue(audit.reason().startsWith("root supervisor 'auditors' failed: java.lang.IllegalStateException: "
            + "supervisor auditors reached its restart intensity"), audit.reason());
        assertEquals(new ApplicationStatus("counter", StartType.PERMANENT, ApplicationState.RUNNING, null),
            status.applications().get(1), "the other application serves on");
        assertFalse(status.ready(), "a failed permanent application makes the node not ready");
        return null;
      });
    }
  }
}
