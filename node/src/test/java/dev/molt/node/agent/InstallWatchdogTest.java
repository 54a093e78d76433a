package dev.molt.node.agent;

import static dev.molt.node.testing.MoltTestKit.V1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.molt.node.host.HostReply;
import dev.molt.node.testing.MoltTestKit;
import dev.molt.node.testing.StuckCode;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.control.ReleaseStatus;
import dev.molt.protocol.release.ReleaseId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * counter 2.1.0's up-migration never returns for a state whose count is 7 (its appup passes
 * {@code extra.hangOnCount = 7}). After the point of no return the host's watchdog fails that
 * actor's change at its budget and the install reverts; before it, the rehearsal's time limit
 * refuses the install while nothing has changed.
 */
class InstallWatchdogTest {
  private static final ReleaseId V2_1 = new ReleaseId("counter", "2.1.0");
  private static final int ACTORS = 10;
  private static final String STUCK = "c-3";

  private final List<String> keys = AgentTestKit.keys(ACTORS);
  private AgentTestKit node;

  @AfterEach
  void stop() {
    StuckCode.letGo(node.molt.kit);
    node.close();
  }

  @ParameterizedTest
  @EnumSource(InstallMode.class)
  void aMigrationThatNeverReturnsFailsItsStepAtTheBudgetAndTheNodeRevertsServing(InstallMode mode) {
    node = runningV1WithAStuckActor(STUCK, "molt.install.rehearsal-samples = 0\nmolt.host.migration-budget = 1s");

    AgentReply.Failed failed = node.expect(AgentReply.Failed.class,
        node.ask(r -> new AgentCommand.Install(V2_1, mode, r), AgentTestKit.INSTALL_WAIT));

    assertEquals("change-code counter v1 -> v2 (up, load-then-migrate, extra {\"hangOnCount\":7})", failed.step());
    assertEquals("counters/" + STUCK, failed.actor());
    assertTrue(failed.reason().contains("migration of counter from counter-1.0.0 (v1) to counter-2.1.0 (v2) ran over "
        + "its budget of 1000 ms (molt.host.migration-budget)"), failed.reason());
    assertTrue(failed.reason().contains("in migrateUp of counter v2 (counter-2.1.0)"), failed.reason());
    assertTrue(failed.reason().contains(STUCK + " stays on counter v1 (counter-1.0.0)"), failed.reason());
    assertTrue(failed.reverted(), failed.toString());
    assertEquals(1, node.molt.registry().counters().stuckThreads());

    // One release, every actor on it with its state, and serving.
    assertEquals(V1, node.running());
    assertEquals(Map.of(V1, ReleaseStatus.PERMANENT, V2_1, ReleaseStatus.UNPACKED), node.statuses());
    assertCountsOnV1(0);
    keys.forEach(k -> node.increment(k, k.equals(STUCK) ? 8 : 2));
    node.flush(keys);
    assertCountsOnV1(1);
  }

  @Test
  void aRehearsalThatNeverReturnsRefusesTheInstallBeforeAnythingChanges() {
    // The rehearsal samples the first actor in path order, c-0.
    node = runningV1WithAStuckActor("c-0", "molt.host.migration-budget = 1s");

    AgentReply.Failed failed = node.expect(AgentReply.Failed.class,
        node.ask(r -> new AgentCommand.Install(V2_1, InstallMode.BARRIER, r), AgentTestKit.INSTALL_WAIT));

    assertEquals("verify counter v1 <-> v2", failed.step());
    assertEquals("counters/c-0", failed.actor());
    assertTrue(failed.reason().startsWith("migration of counter rehearsed on a copy of this actor's live state did not "
        + "finish within 1000 ms (molt.host.migration-budget; nothing was changed)"), failed.reason());
    assertTrue(failed.reason().contains("in migrateUp of counter v2 (counter-2.1.0)"), failed.reason());
    assertFalse(failed.reverted(), "refused before the point of no return: nothing to revert");
    assertEquals(1, node.molt.registry().counters().stuckThreads());
    assertEquals(V1, node.running());
    assertEquals(Map.of(V1, ReleaseStatus.PERMANENT, V2_1, ReleaseStatus.UNPACKED), node.statuses());
    node.states().values().forEach(s -> assertEquals(V1, s.release(), s.actor()));
  }

  /** Every counter started with one increment; {@code stuck} counted up to 7. */
  private AgentTestKit runningV1WithAStuckActor(String stuck, String config) {
    AgentTestKit started = new AgentTestKit(MoltTestKit.create(config));
    started.unpack("1.0.0", "2.1.0");
    started.install(V1, InstallMode.BARRIER);
    started.startCounters(keys);
    for (long seq = 2; seq <= 7; seq++) {
      started.increment(stuck, seq);
    }
    started.flush(List.of(stuck));
    return started;
  }

  private void assertCountsOnV1(int more) {
    Map<String, HostReply.State> states = node.states();
    assertEquals(ACTORS, states.size());
    states.values().forEach(s -> {
      assertEquals(V1, s.release(), s.actor());
      assertEquals((s.actor().equals(STUCK) ? 7 : 1) + more, AgentTestKit.counted(s), s.actor());
    });
  }
}
