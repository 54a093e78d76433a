package dev.molt.node.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.molt.node.testing.MoltTestKit;
import org.junit.jupiter.api.Test;

/**
 * The warm-up at node start runs the install's own machinery for real (every ask answered, every
 * call on a release-code thread made) and leaves nothing behind: no stuck thread, nothing loaded.
 */
class InstallWarmUpTest {

  @Test
  void itAsksInBlocksAndCallsOnReleaseCodeThreadsAndLeavesNothingBehind() {
    try (MoltTestKit molt = MoltTestKit.create("molt.install.warm-up = off")) {
      InstallWarmUp.Done done = InstallWarmUp.run(molt.kit.system(), molt.registry());
      assertEquals(8 * 256 * 3, done.asks(), "8 rounds of 256 stand-in hosts asked three times each: a barrier "
          + "step's fan-out, then a pipelined change's lend and change");
      assertEquals(8 * 256, done.calls(), "8 rounds of a call on a release-code thread per lent state");
      assertEquals(0, molt.registry().counters().stuckThreads());
      assertEquals(0, molt.registry().loaded().size(), "no release was loaded");
      // Twice on one node: the stand-in of the first run does not stand in the way of the second.
      assertEquals(8 * 256 * 3, InstallWarmUp.run(molt.kit.system(), molt.registry()).asks());
    }
  }
}
