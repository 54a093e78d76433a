package dev.molt.node.agent;

import static dev.molt.node.testing.MoltTestKit.V1;
import static dev.molt.node.testing.MoltTestKit.V2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import dev.molt.node.host.HostReply;
import dev.molt.node.supervision.SupervisorCommand;
import dev.molt.node.supervision.SupervisorReply;
import dev.molt.protocol.control.InstallMode;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A failure after every actor already moved and resumed: 2.0.0's new static child 'census' cannot
 * start because a dynamic child of that name runs. The revert must undo everything: actors back on
 * 1.0.0 with their state, the supervisor's spec restored, 1.0.0 current again for new actors.
 */
class LateFailureRevertTest {
  private static final int ACTORS = 200;
  private AgentTestKit node;
  private final List<String> keys = AgentTestKit.keys(ACTORS);

  @BeforeEach
  void start() {
    node = AgentTestKit.runningV1();
    node.startCounters(keys);
    node.increment("census", 1); // a dynamic child under 1.0.0, in the way of 2.0.0's static one
    node.flush(List.of("census"));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @ParameterizedTest
  @EnumSource(InstallMode.class)
  void failureAfterTheBlocksRevertsEveryChange(InstallMode mode) {
    AgentReply.Failed failed = node.expect(AgentReply.Failed.class,
        node.ask(r -> new AgentCommand.Install(V2, mode, r), AgentTestKit.INSTALL_WAIT));
    assertEquals("start-child counters/census", failed.step());
    assertEquals("already running", failed.reason());
    assertTrue(failed.reverted(), "every undo succeeded");

    assertEquals(V1, node.molt.registry().current("counter").orElseThrow().id(), "1.0.0 is current again");
    assertEquals(V1, node.running());
    for (HostReply.State state : node.states().values()) {
      assertEquals(V1, state.release(), state.actor() + " back on 1.0.0");
      assertEquals(1, AgentTestKit.counted(state), state.actor() + " kept its state");
    }
    TestProbe<SupervisorReply> probe = node.molt.kit.createTestProbe(SupervisorReply.class);
    node.tree().supervisor(AgentTestKit.SUPERVISOR).orElseThrow().tell(new SupervisorCommand.Describe(probe.getRef()));
    var description = (SupervisorReply.Description) probe.receiveMessage();
    assertTrue(description.spec().children().isEmpty(), "1.0.0's spec is back: " + description.spec());

    node.increment("fresh", 1);
    assertEquals(1, node.view("fresh").version(), "a new actor starts on 1.0.0 after the revert");
    assertEquals(1, node.view("c-7").version(), "old actors serve on 1.0.0");
  }
}
