package dev.molt.node.agent;

import static dev.molt.node.testing.MoltTestKit.V1;
import static dev.molt.node.testing.MoltTestKit.V2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.molt.node.host.HostReply;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.control.ReleaseStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One actor among 10,000 whose migration throws (v2 refuses a count of 13): the install fails
 * after the point of no return, every actor is back on 1.0.0 with its state, the node serves, and
 * the error names the step and that actor.
 */
class InstallFailureTest {
  private static final int ACTORS = 10_000;
  private static final String UNLUCKY = "c-4242";

  private AgentTestKit node;
  private final List<String> keys = AgentTestKit.keys(ACTORS);

  @BeforeEach
  void start() {
    node = AgentTestKit.runningV1();
    node.startCounters(keys);
    for (long seq = 2; seq <= 13; seq++) {
      node.increment(UNLUCKY, seq);
    }
    node.flush(List.of(UNLUCKY));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @ParameterizedTest
  @EnumSource(InstallMode.class)
  void oneFailingMigrationRevertsAllTenThousand(InstallMode mode) {
    AgentReply reply = node.ask(r -> new AgentCommand.Install(V2, mode, r), AgentTestKit.INSTALL_WAIT);
    AgentReply.Failed failed = node.expect(AgentReply.Failed.class, reply);

    assertEquals("change-code counter v1 -> v2 (up, load-then-migrate)", failed.step());
    assertEquals("counters/" + UNLUCKY, failed.actor(), "the error names the actor");
    assertTrue(failed.reason().contains("IllegalStateException: migration refused: a count of 13 is unlucky"), failed.reason());
    assertTrue(failed.reverted(), "the point of no return was passed, so the node reverted");

    assertEquals(V1, node.running());
    assertEquals(V1, node.molt.registry().current("counter").orElseThrow().id(), "1.0.0 is current again");
    assertEquals(Map.of(V1, ReleaseStatus.PERMANENT, V2, ReleaseStatus.UNPACKED), node.statuses());
    Map<String, HostReply.State> states = node.states();
    assertEquals(ACTORS, states.size());
    for (HostReply.State state : states.values()) {
      long expected = state.actor().equals(UNLUCKY) ? 13 : 1;
      assertEquals(V1, state.release(), state.actor() + " back on 1.0.0");
      assertEquals(expected, AgentTestKit.counted(state), state.actor() + " kept its state");
    }
    assertTrue(node.tree().host(AgentTestKit.SUPERVISOR, "census").isEmpty(), "2.0.0's census does not run");

    // Serving: every actor takes the next increment, on v1.
    keys.forEach(k -> node.increment(k, k.equals(UNLUCKY) ? 14 : 2));
    node.molt.kit.createTestProbe().awaitAssert(Duration.ofSeconds(60), () -> {
      node.states().values().forEach(s -> assertEquals(s.actor().equals(UNLUCKY) ? 14 : 2,
          s.state().get("lastSeq").asLong(), s.actor() + " serving"));
      return null;
    });
  }
}
