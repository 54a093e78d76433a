package dev.molt.node.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import dev.molt.node.supervision.Applications;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.release.ReleaseId;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * OTP's {@code restart_application(App)} on real bundles: counter-2.6.0 runs the applications
 * 'counter' (dynamic counters) and 'audit' (static child 'auditor'); 2.9.0's appup from and to
 * 2.6.0 updates the counters (soft) and restarts 'audit' only. The counters keep their actors and
 * states; the auditor comes back as a new actor with its start state, on the target, both ways.
 */
class RestartOneApplicationTest {
  private static final ReleaseId TWO_APPS = new ReleaseId("counter", "2.6.0");
  private static final ReleaseId RESTART_AUDIT = new ReleaseId("counter", "2.9.0");
  private static final List<String> KEYS = AgentTestKit.keys(5);

  @Test
  void restartingOneApplicationLeavesTheOtherApplicationsActorsAndStates() {
    try (AgentTestKit node = AgentTestKit.runningV1()) {
      node.unpack("2.6.0", "2.9.0");
      node.install(TWO_APPS, InstallMode.BARRIER);
      node.startCounters(KEYS);
      countOnAuditor(node, 3);

      for (ReleaseId target : List.of(RESTART_AUDIT, TWO_APPS)) {
        Map<String, ActorRef<Object>> counters = counterRefs(node);
        ActorRef<Object> auditor = node.tree().host("auditors", "auditor").orElseThrow().ref();
        assertEquals(3, AgentTestKit.counted(state(node, auditor)), "the auditor counted before the install");

        String plan = node.expect(AgentReply.Planned.class, node.ask(r -> new AgentCommand.Plan(target, r))).text();
        assertTrue(plan.contains("stop-application audit") && plan.contains("start-application audit (permanent, " + target + ")")
            && !plan.contains("restart-application"), plan);
        node.install(target, InstallMode.BARRIER);

        assertEquals(target, node.running());
        assertEquals(counters, counterRefs(node), "the counters are the same actors");
        node.states().values().forEach(s -> {
          assertEquals(target, s.release(), s.actor());
          assertEquals(1, AgentTestKit.counted(s), "a counter keeps its state: " + s.actor());
        });
        ActorRef<Object> restarted = node.tree().host("auditors", "auditor").orElseThrow().ref();
        assertNotEquals(auditor, restarted, "the auditor is a new actor");
        HostReply.State fresh = state(node, restarted);
        assertEquals(target, fresh.release());
        assertEquals(0, AgentTestKit.counted(fresh), "the restarted application's actor has its start state");
        assertEquals(List.of("audit", "counter"),
            Applications.get(node.molt.kit.system()).all().stream().map(Applications.State::name).toList());
        assertEquals(List.of(), Applications.get(node.molt.kit.system()).failures());
        countOnAuditor(node, 3);
      }
    }
  }

  @Test
  void restartingAFailedApplicationStartsItAgainAndTheNodeIsHealthy() {
    try (AgentTestKit node = AgentTestKit.runningV1()) {
      node.unpack("2.6.0", "2.9.0");
      node.install(TWO_APPS, InstallMode.BARRIER);
      ApplicationsInstallTest.stopAudit(node);
      Applications applications = Applications.get(node.molt.kit.system());
      node.molt.kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
        assertEquals(1, applications.failures().size(), applications.all().toString());
        return null;
      });

      node.install(RESTART_AUDIT, InstallMode.BARRIER);

      assertEquals(List.of(), applications.failures(), "restarted, 'audit' runs again");
      assertTrue(applications.all().stream().allMatch(a -> a.stopped() == null), applications.all().toString());
      assertEquals(RESTART_AUDIT, state(node, node.tree().host("auditors", "auditor").orElseThrow().ref()).release());
    }
  }

  /** Sends the auditor {@code n} increments and waits until it counted them. */
  private static void countOnAuditor(AgentTestKit node, int n) {
    ActorRef<Object> auditor = node.tree().host("auditors", "auditor").orElseThrow().ref();
    for (int seq = 1; seq <= n; seq++) {
      auditor.tell(node.molt.increment(seq));
    }
    node.molt.kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      assertEquals(n, AgentTestKit.counted(state(node, auditor)));
      return null;
    });
  }

  private static HostReply.State state(AgentTestKit node, ActorRef<Object> host) {
    TestProbe<HostReply> probe = node.molt.kit.createTestProbe(HostReply.class);
    host.tell(new HostCommand.GetState(probe.getRef()));
    return (HostReply.State) probe.receiveMessage(Duration.ofSeconds(30));
  }

  private static Map<String, ActorRef<Object>> counterRefs(AgentTestKit node) {
    Map<String, ActorRef<Object>> refs = new HashMap<>();
    node.tree().hosts("counter").forEach(h -> refs.put(h.child(), h.ref()));
    assertEquals(KEYS.size(), refs.size(), refs.toString());
    return refs;
  }
}
