package dev.molt.node.agent;

import static dev.molt.node.testing.MoltTestKit.V1;
import static dev.molt.node.testing.MoltTestKit.V2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.molt.node.host.HostReply;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.control.ReleaseStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The migration is rehearsed on copies of a few live states before the point of no return: the
 * first actor in path order (c-0) holds a count v2 refuses, so the install is refused while
 * nothing has changed. With rehearsals off, the same install fails after the point of no return
 * and has to revert.
 */
class RehearsalTest {
  private static final int ACTORS = 100;
  private final List<String> keys = AgentTestKit.keys(ACTORS);

  @ParameterizedTest
  @EnumSource(InstallMode.class)
  void aMigrationThatFailsOnALiveStateIsRefusedBeforeAnythingChanges(InstallMode mode) {
    try (AgentTestKit node = unluckyFirstActor("")) {
      AgentReply.Failed failed = node.expect(AgentReply.Failed.class,
          node.ask(r -> new AgentCommand.Install(V2, mode, r), AgentTestKit.INSTALL_WAIT));

      assertEquals("verify counter v1 <-> v2", failed.step());
      assertEquals("counters/c-0", failed.actor());
      assertTrue(failed.reason().contains("rehearsed on a copy of this actor's live state failed (nothing was changed)"),
          failed.reason());
      assertTrue(failed.reason().contains("a count of 13 is unlucky"), failed.reason());
      assertFalse(failed.reverted(), "refused before the point of no return: nothing to revert");
      assertEquals(V1, node.running());
      assertEquals(Map.of(V1, ReleaseStatus.PERMANENT, V2, ReleaseStatus.UNPACKED), node.statuses());
      assertUntouched(node);
    }
  }

  @Test
  void withRehearsalsOffTheSameFailureComesAfterThePointOfNoReturn() {
    try (AgentTestKit node = unluckyFirstActor("molt.install.rehearsal-samples = 0")) {
      AgentReply.Failed failed = node.expect(AgentReply.Failed.class,
          node.ask(r -> new AgentCommand.Install(V2, InstallMode.BARRIER, r), AgentTestKit.INSTALL_WAIT));

      assertEquals("change-code counter v1 -> v2 (up, load-then-migrate)", failed.step());
      assertTrue(failed.reverted(), failed.toString());
      assertUntouched(node);
    }
  }

  private AgentTestKit unluckyFirstActor(String config) {
    AgentTestKit node = AgentTestKit.runningV1(config);
    node.startCounters(keys);
    for (long seq = 2; seq <= 13; seq++) {
      node.increment("c-0", seq);
    }
    node.flush(List.of("c-0"));
    return node;
  }

  private void assertUntouched(AgentTestKit node) {
    Map<String, HostReply.State> states = node.states();
    assertEquals(ACTORS, states.size());
    states.values().forEach(s -> {
      assertEquals(V1, s.release(), s.actor());
      assertEquals(s.actor().equals("c-0") ? 13 : 1, AgentTestKit.counted(s), s.actor());
    });
  }
}
