package dev.molt.node.agent;

import dev.molt.protocol.control.InstallMode;

import static dev.molt.node.testing.MoltTestKit.V1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.molt.node.host.HostReply;
import dev.molt.protocol.control.ReleaseStatus;
import dev.molt.protocol.release.ReleaseId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rehearsal migrates copies of live states to the target and back before the point of no
 * return: 2.3.0's down-migration to 1.0.0 writes {@code lastSeq: 0} (the bank's "balanceCents: 0"),
 * so upgrading to it is refused while nothing has changed, naming the actor and the field; 2.4.0,
 * the same code, declares {@code "lossy": ["counter"]}, and the plan says the round trip is waived.
 */
class RoundTripTest {
  private static final ReleaseId DESTRUCTIVE = new ReleaseId("counter", "2.3.0");
  private static final ReleaseId DECLARED = new ReleaseId("counter", "2.4.0");
  private static final List<String> KEYS = AgentTestKit.keys(20);

  @Test
  void aDownMigrationThatWipesAFieldRefusesTheUpgradeBeforeAnythingChanges() {
    try (AgentTestKit node = withCounters()) {
      AgentReply.Failed failed = node.expect(AgentReply.Failed.class,
          node.ask(r -> new AgentCommand.Install(DESTRUCTIVE, InstallMode.BARRIER, r), AgentTestKit.INSTALL_WAIT));

      assertEquals("verify counter v1 <-> v2", failed.step());
      assertEquals("counters/c-0", failed.actor());
      assertTrue(failed.reason().contains("migrating a copy of this actor's live state v1 -> v2 -> v1 does not give it "
          + "back (nothing was changed): first difference at /lastSeq: 7 before, 0 after"), failed.reason());
      assertTrue(failed.reason().contains("declare it in counter-2.3.0's molt-release.json: \"lossy\": [\"counter\"]"),
          failed.reason());
      assertFalse(failed.reverted(), "refused before the point of no return: nothing to revert");
      assertEquals(V1, node.running());
      assertEquals(ReleaseStatus.PERMANENT, node.statuses().get(V1));
      assertEquals(ReleaseStatus.UNPACKED, node.statuses().get(DESTRUCTIVE));
      assertUntouched(node);
    }
  }

  @Test
  void declaredLossyTheSameMigrationProceedsAndThePlanSaysSo() {
    try (AgentTestKit node = withCounters()) {
      String plan = node.expect(AgentReply.Planned.class, node.ask(r -> new AgentCommand.Plan(DECLARED, r))).text();
      assertTrue(plan.contains("lossy: counter-2.4.0 declares the migrations of 'counter' lossy: 'verify counter v1 <-> v2'"
          + " does not compare the round trip v1 -> v2 -> v1"), plan);
      String strict = node.expect(AgentReply.Planned.class, node.ask(r -> new AgentCommand.Plan(DESTRUCTIVE, r))).text();
      assertFalse(strict.contains("lossy"), strict);

      AgentReply.Installed installed = node.install(DECLARED, InstallMode.BARRIER);

      assertEquals(DECLARED, installed.to());
      assertEquals(KEYS.size(), node.states().size());
      node.states().values().forEach(s -> {
        assertEquals(DECLARED, s.release(), s.actor());
        assertEquals(s.actor().equals("c-0") ? 7 : 1, AgentTestKit.counted(s), s.actor());
      });
    }
  }

  /** 1.0.0 running with 20 counters; c-0 counted to 7, the others to 1. */
  private static AgentTestKit withCounters() {
    AgentTestKit node = AgentTestKit.runningV1();
    node.unpack("2.3.0", "2.4.0");
    node.startCounters(KEYS);
    for (long seq = 2; seq <= 7; seq++) {
      node.increment("c-0", seq);
    }
    node.flush(List.of("c-0"));
    return node;
  }

  private static void assertUntouched(AgentTestKit node) {
    Map<String, HostReply.State> states = node.states();
    assertEquals(KEYS.size(), states.size());
    states.values().forEach(s -> {
      assertEquals(V1, s.release(), s.actor());
      long expected = s.actor().equals("c-0") ? 7 : 1;
      assertEquals(expected, AgentTestKit.counted(s), s.actor());
      assertEquals(expected, s.state().get("lastSeq").asLong(), s.actor());
    });
  }
}
