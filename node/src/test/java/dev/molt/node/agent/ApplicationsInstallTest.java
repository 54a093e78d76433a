package dev.molt.node.agent;

import static dev.molt.node.testing.MoltTestKit.V1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Adapter;
import dev.molt.node.health.ApplicationsReadiness;
import dev.molt.node.host.HostReply;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.node.supervision.Applications;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.control.ReleaseStatus;
import dev.molt.protocol.release.ReleaseId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Several applications per release, on real bundles: counter 1.0.0 runs one application (its single
 * tree, named after the release); 2.6.0 adds the permanent application 'audit' (supervisor
 * 'auditors', static child 'auditor'); 2.7.0 is 2.6.0 with an auditor that refuses to start; 2.8.0
 * is 2.6.0 with 'audit' temporary.
 */
class ApplicationsInstallTest {
  private static final ReleaseId TWO_APPS = new ReleaseId("counter", "2.6.0");
  private static final ReleaseId AUDIT_FAILS = new ReleaseId("counter", "2.7.0");
  private static final ReleaseId TEMPORARY_AUDIT = new ReleaseId("counter", "2.8.0");
  private static final List<String> KEYS = AgentTestKit.keys(5);

  @Test
  void upFromOneApplicationToTwoAndBackDownKeepsTheSharedState() {
    try (AgentTestKit node = AgentTestKit.runningV1()) {
      node.unpack("2.6.0");
      node.startCounters(KEYS);

      String plan = node.expect(AgentReply.Planned.class, node.ask(r -> new AgentCommand.Plan(TWO_APPS, r))).text();
      assertTrue(plan.indexOf("start-application audit (permanent, counter-2.6.0)") < plan.indexOf("suspend [counter]")
          && plan.contains("start-application"), plan);
      node.install(TWO_APPS, InstallMode.BARRIER);

      assertEquals(TWO_APPS, node.running());
      assertTrue(node.tree().host("auditors", "auditor").isPresent(), "the added application's actor runs");
      assertEquals(List.of("audit", "counter"), applications(node));
      assertStates(node, TWO_APPS);

      String down = node.expect(AgentReply.Planned.class, node.ask(r -> new AgentCommand.Plan(V1, r))).text();
      assertTrue(down.indexOf("stop-application audit") > down.indexOf("resume [counter]")
          && down.contains("stop-application"), down);
      node.install(V1, InstallMode.BARRIER);

      assertEquals(V1, node.running());
      ApplicationTree tree = node.tree();
      assertTrue(tree.host("auditors", "auditor").isEmpty() && tree.supervisor("auditors").isEmpty(),
          "the removed application's tree is gone: " + tree.supervisorNames());
      assertEquals(List.of("counter"), applications(node));
      assertStates(node, V1);
    }
  }

  @Test
  void aPermanentApplicationThatDoesNotStartFailsTheInstallWhichReverts() {
    try (AgentTestKit node = AgentTestKit.runningV1()) {
      node.unpack("2.7.0");
      node.startCounters(KEYS);

      AgentReply.Failed failed = node.expect(AgentReply.Failed.class,
          node.ask(r -> new AgentCommand.Install(AUDIT_FAILS, InstallMode.BARRIER, r), AgentTestKit.INSTALL_WAIT));

      assertEquals("start-application audit (permanent, counter-2.7.0)", failed.step());
      assertTrue(failed.reason().startsWith("its root supervisor 'auditors' stopped before its children started: "
          + "java.lang.IllegalStateException: supervisor auditors reached its restart intensity"), failed.reason());
      assertTrue(failed.reverted(), failed.toString());
      assertEquals(V1, node.running());
      assertEquals(Map.of(V1, ReleaseStatus.PERMANENT, new ReleaseId("counter", "2.0.0"),
          ReleaseStatus.UNPACKED, AUDIT_FAILS, ReleaseStatus.UNPACKED), node.statuses());
      assertTrue(node.tree().supervisor("auditors").isEmpty());
      assertStates(node, V1);
      // The start failed the install, not the node: it stays healthy on 1.0.0.
      assertEquals(List.of(), Applications.get(node.molt.kit.system()).failures());
      assertEquals(List.of("counter"), applications(node));
    }
  }

  @Test
  void aPermanentApplicationThatStopsOnItsOwnMakesTheNodeUnhealthyUntilItIsRemoved() {
    try (AgentTestKit node = AgentTestKit.runningV1()) {
      node.unpack("2.6.0");
      node.install(TWO_APPS, InstallMode.BARRIER);

      stopAudit(node);

      Applications applications = Applications.get(node.molt.kit.system());
      node.molt.kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
        assertEquals(1, applications.failures().size(), applications.all().toString());
        return null;
      });
      assertTrue(applications.failures().get(0).startsWith("application 'audit' (permanent) stopped: root supervisor "
          + "'auditors' failed: java.lang.IllegalStateException: supervisor auditors reached its restart intensity"),
          applications.failures().toString());
      assertEquals(TWO_APPS, node.running(), "the node keeps serving its other application");
      // /ready (and the cluster agent's ready, the rollout's health gate) names it.
      var ready = new ApplicationsReadiness(Adapter.toClassic(node.molt.kit.system())).get().toCompletableFuture();
      ExecutionException notReady = assertThrows(ExecutionException.class, ready::get);
      assertEquals(applications.failures().get(0), notReady.getCause().getMessage());

      // The way out: a release without it removes the failed application, and the node is healthy again.
      node.install(V1, InstallMode.BARRIER);
      assertEquals(V1, node.running());
      assertEquals(List.of(), applications.failures());
      assertEquals(List.of("counter"), applications(node));
    }
  }

  @Test
  void aTemporaryApplicationThatStopsIsLoggedAndTheNodeStaysHealthy() {
    try (AgentTestKit node = AgentTestKit.runningV1()) {
      node.unpack("2.8.0");
      node.install(TEMPORARY_AUDIT, InstallMode.BARRIER);

      stopAudit(node);

      Applications applications = Applications.get(node.molt.kit.system());
      node.molt.kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
        assertTrue(applications.all().stream().anyMatch(a -> a.name().equals("audit") && a.stopped() != null),
            applications.all().toString());
        return null;
      });
      assertEquals(List.of(), applications.failures());
      assertTrue(new ApplicationsReadiness(Adapter.toClassic(node.molt.kit.system())).get().toCompletableFuture().join());
      assertEquals(TEMPORARY_AUDIT, node.running());
    }
  }

  /** 'auditors' allows one restart in 5 s: a second crash makes it give up, and the application stops. */
  static void stopAudit(AgentTestKit node) {
    ActorRef<Object> first = auditor(node, null);
    first.tell(node.molt.envelopes().of("crash", 2, Map.of("why", "test")));
    auditor(node, first).tell(node.molt.envelopes().of("crash", 2, Map.of("why", "test")));
  }

  /** The running auditor once it is not {@code previous} (a restarted one). */
  private static ActorRef<Object> auditor(AgentTestKit node, ActorRef<Object> previous) {
    node.molt.kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      var host = node.tree().host("auditors", "auditor");
      assertTrue(host.isPresent() && !host.get().ref().equals(previous), "a new auditor runs");
      return null;
    });
    return node.tree().host("auditors", "auditor").orElseThrow().ref();
  }

  private static List<String> applications(AgentTestKit node) {
    return Applications.get(node.molt.kit.system()).all().stream().map(Applications.State::name).toList();
  }

  /** Every counter runs {@code release} with the one increment it counted before the installs. */
  private static void assertStates(AgentTestKit node, ReleaseId release) {
    Map<String, HostReply.State> states = node.states();
    assertEquals(KEYS.size(), states.size(), states.toString());
    states.values().forEach(s -> {
      assertEquals(release, s.release(), s.actor());
      assertEquals(1, AgentTestKit.counted(s), s.actor());
    });
  }
}
