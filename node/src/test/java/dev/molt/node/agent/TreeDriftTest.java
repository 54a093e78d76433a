package dev.molt.node.agent;

import dev.molt.protocol.control.InstallMode;

import static dev.molt.node.testing.MoltTestKit.V1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.molt.node.host.HostReply;
import dev.molt.node.testing.TestBundles;
import dev.molt.protocol.control.ReleaseStatus;
import dev.molt.protocol.release.ReleaseId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bank case of issue 11 with the counter: 2.5.0 lists only an explicit update (to pass extra)
 * while its tree adds the static child 'census'. Never permanent with a drifted tree: refused at
 * unpack when the older release is stored; and when it got in first, the install's final
 * comparison of the live tree with 2.5.0's descriptor fails it, and it reverts.
 */
class TreeDriftTest {
  private static final ReleaseId BANK = new ReleaseId("counter", "2.5.0");
  private static final String UNCOVERED = "counter-2.5.0's upFrom 1.0.0 lists explicit instructions but does not cover: "
      + "static child 'census' added under supervisor 'counters'; add {\"op\": \"update-supervisor\", \"supervisor\": "
      + "\"counters\"} or drop the explicit list";
  private static final List<String> KEYS = AgentTestKit.keys(10);

  @Test
  void anExplicitListThatMissesAnAddedChildIsRefusedAtUnpackNamingTheChild() {
    try (AgentTestKit node = AgentTestKit.runningV1()) {
      AgentReply.UnpackRefused refused = node.expect(AgentReply.UnpackRefused.class,
          node.ask(r -> new AgentCommand.Unpack(TestBundles.counter("2.5.0"), r)));

      assertEquals(UnpackFailure.INVALID, refused.failure());
      assertEquals("invalid bundle counter-2.5.0.molt: " + UNCOVERED, refused.reason());
      assertFalse(node.statuses().containsKey(BANK), "nothing stored: " + node.statuses());
      assertEquals(V1, node.running());
    }
  }

  @Test
  void aDriftedTreeFailsTheInstallAtItsEndAndReverts() {
    try (AgentTestKit node = AgentTestKit.create()) {
      node.unpack("2.5.0", "1.0.0"); // the older one after: nothing to check 2.5.0's list against at its unpack
      node.install(V1, InstallMode.BARRIER);
      node.startCounters(KEYS);

      AgentReply.Failed failed = node.expect(AgentReply.Failed.class,
          node.ask(r -> new AgentCommand.Install(BANK, InstallMode.BARRIER, r), AgentTestKit.INSTALL_WAIT));

      assertEquals(FinalTreeCheck.STEP, failed.step());
      assertEquals("the live tree is not counter-2.5.0's: supervisor 'counters' runs another spec than declared, which "
          + "has static child 'census' added under supervisor 'counters'; static child 'census' of supervisor "
          + "'counters' is not running; the plan left these out", failed.reason());
      assertTrue(failed.reverted(), failed.toString());
      assertEquals(V1, node.running());
      assertEquals(Map.of(V1, ReleaseStatus.PERMANENT, BANK, ReleaseStatus.UNPACKED), node.statuses());
      Map<String, HostReply.State> states = node.states();
      assertEquals(KEYS.size(), states.size());
      states.values().forEach(s -> {
        assertEquals(V1, s.release(), s.actor());
        assertEquals(1, AgentTestKit.counted(s), s.actor());
      });
      assertTrue(node.tree().host(AgentTestKit.SUPERVISOR, "census").isEmpty(), "1.0.0 has no census");
    }
  }
}
