package dev.molt.node.agent;

import static dev.molt.node.testing.MoltTestKit.V1;
import static dev.molt.node.testing.MoltTestKit.V2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.molt.node.testing.MoltTestKit;
import dev.molt.node.testing.StuckCode;
import dev.molt.node.testing.TestBundles;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.control.ReleaseStatus;
import dev.molt.protocol.release.ReleaseId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A release whose behaviour class never finishes its static initialiser: the upload fails within
 * the warm timeout naming the class, its thread is abandoned and counted, and the node agent goes
 * on accepting uploads and installs.
 */
class StuckReleaseCodeTest {
  private static final ReleaseId SPIN = new ReleaseId("spin", "1.0.0");

  private final AgentTestKit node = new AgentTestKit(MoltTestKit.create("molt.release.warm-timeout = 2s"));

  @AfterEach
  void stop() {
    StuckCode.letGo(node.molt.kit);
    node.close();
  }

  @Test
  void aStaticInitialiserThatNeverReturnsFailsTheUploadAndTheNodeGoesOn() {
    AgentReply.UnpackRefused failed = node.expect(AgentReply.UnpackRefused.class,
        node.ask(r -> new AgentCommand.Unpack(TestBundles.bundle("spin", "1.0.0"), r)));

    assertEquals(UnpackFailure.INVALID, failed.failure());
    String reason = failed.reason();
    assertTrue(reason.startsWith("invalid bundle spin-1.0.0.molt: loading the code of spin-1.0.0 did not finish within "
        + "2000 ms (molt.release.warm-timeout)"), reason);
    assertTrue(reason.contains("in constructor of entry class dev.molt.testbundle.spin.Spin of behaviour 'spin'"), reason);
    assertTrue(reason.contains("its thread molt-release-code-"), reason);
    assertTrue(reason.contains("at dev.molt.testbundle.spin.Spin.<clinit>(Spin.java:"), reason);
    assertEquals(1, node.molt.registry().counters().stuckThreads());
    assertFalse(node.statuses().containsKey(SPIN), "nothing of the refused bundle is kept");
    assertTrue(node.molt.registry().find(SPIN).isEmpty());

    // The agent goes on: uploads, a first install and an upgrade with live actors.
    node.unpack("1.0.0", "2.0.0");
    node.install(V1, InstallMode.BARRIER);
    List<String> keys = AgentTestKit.keys(5);
    node.startCounters(keys);
    node.install(V2, InstallMode.BARRIER);
    keys.forEach(k -> node.increment(k, 2));
    node.flush(keys);
    node.states().values().forEach(s -> {
      assertEquals(V2, s.release(), s.actor());
      assertEquals(2, AgentTestKit.counted(s), s.actor());
    });
    assertEquals(Map.of(V1, ReleaseStatus.PERMANENT, V2, ReleaseStatus.CURRENT), node.statuses());
    assertEquals(1, node.molt.registry().counters().stuckThreads(), "still stuck: nothing can end it");
  }
}
