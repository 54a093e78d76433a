package dev.molt.node.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.molt.node.supervision.ApplicationTree;
import dev.molt.node.testing.CounterView;
import dev.molt.node.testing.MoltTestKit;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.release.ReleaseId;
import org.junit.jupiter.api.Test;

/**
 * OTP's {@code restart_application}: counter 2.2.0's appup from 1.0.0 restarts the whole tree on
 * 2.2.0. The application controller replaces the tree; the install and the agent see the new one.
 */
class RestartApplicationTest {
  private static final ReleaseId V2_2 = new ReleaseId("counter", "2.2.0");

  @Test
  void theTreeRestartsOnTheTargetAndItsStateStartsOver() {
    try (AgentTestKit node = AgentTestKit.runningV1()) {
      node.unpack("2.2.0");
      node.increment("room-1", 1);
      node.increment("room-1", 2);
      assertEquals(2, node.view("room-1").counted());
      ApplicationTree before = node.tree();

      AgentReply.Installed installed = node.install(V2_2, InstallMode.BARRIER);
      assertEquals(MoltTestKit.V1, installed.from());
      assertEquals(V2_2, installed.to());

      ApplicationTree after = node.tree();
      assertTrue(after != before, "a new tree replaced the old one");
      assertEquals(V2_2, after.startedOn());
      assertEquals(V2_2, node.running());
      assertTrue(after.host(AgentTestKit.SUPERVISOR, "census").isPresent(), "2.2.0's static child runs");
      CounterView room = node.view("room-1");
      assertEquals(2, room.version(), "room-1 restarted on 2.2.0's code");
      assertEquals(0, room.counted(), "restart_application does not carry state");
    }
  }
}
