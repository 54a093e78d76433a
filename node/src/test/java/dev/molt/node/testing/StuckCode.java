package dev.molt.node.testing;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import dev.molt.node.release.ReleaseRegistry;
import java.time.Duration;

/**
 * The test bundles' code that never returns on its own (spin-1.0.0's static initialiser, counter
 * v2's up-migration with {@code extra.hangOnCount}) waits for the system property {@value #LET_GO}.
 * A test that makes such code run lets it go at its end, so its threads end with it.
 */
public final class StuckCode {
  public static final String LET_GO = "molt.test.let-go";

  private StuckCode() {}

  /** Lets every stuck call return, and waits until the node counts none stuck. */
  public static void letGo(ActorTestKit kit) {
    System.setProperty(LET_GO, "true");
    try {
      kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
        int stuck = ReleaseRegistry.get(kit.system()).counters().stuckThreads();
        if (stuck != 0) {
          throw new AssertionError(stuck + " release-code thread(s) still stuck");
        }
        return null;
      });
    } finally {
      System.clearProperty(LET_GO);
    }
  }
}
