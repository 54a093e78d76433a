package dev.molt.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The status view rendered from recorded rollouts: the lines themselves, then how a {@link Screen}
 * puts successive views on a terminal (redrawn in place with ANSI) and into a pipe (only new lines).
 */
class RolloutViewTest {
  private static final List<String> PAUSED = List.of(
      "rollout r-2-g8i -> game-2.0.0  paused  1/3 batches done  (batch size 1, barrier, canary, pause between 2.0s, auto-rollback)",
      "[######--------------] 1/3 nodes done",
      "  127.0.0.1:38520  game-1.0.0 -> game-2.0.0  install installed  actors=0 took=102ms pause.max=0.0ms",
      "  127.0.0.1:38521  game-1.0.0 -> game-2.0.0  waiting (batch 2)",
      "  127.0.0.1:38522  game-1.0.0 -> game-2.0.0  waiting (batch 3)");
  private static final List<String> COMPLETED = List.of(
      "rollout r-3-10s7 -> game-3.0.0  completed  3/3 batches done  (batch size 1, pipelined, canary, auto-rollback)  took 6.8s",
      "[####################] 3/3 nodes done",
      "  127.0.0.1:38520  game-2.0.0 -> game-3.0.0  install installed  actors=0 took=41ms pause.max=0.0ms",
      "  127.0.0.1:38521  game-2.0.0 -> game-3.0.0  install installed  actors=0 took=239ms pause.max=0.0ms",
      "  127.0.0.1:38522  game-2.0.0 -> game-3.0.0  install installed  actors=0 took=89ms pause.max=0.0ms");

  @Test
  void aCanaryPausedAfterItsFirstBatch() {
    assertEquals(PAUSED, RolloutView.lines(Recorded.rollout("canary-paused")));
  }

  @Test
  void aCompletedRollout() {
    assertEquals(COMPLETED, RolloutView.lines(Recorded.rollout("completed")));
  }

  @Test
  void theLastBatchStaysInFlightUntilItsGateEndsTheRollout() {
    var rolling = ((com.fasterxml.jackson.databind.node.ObjectNode) Recorded.rollout("completed")).put("phase", "rolling")
        .put("finishedAtMillis", 0);
    assertEquals("rollout r-3-10s7 -> game-3.0.0  rolling  batch 3/3  (batch size 1, pipelined, canary, auto-rollback)",
        RolloutView.lines(rolling).get(0));
  }

  @Test
  void aRolledBackRolloutShowsEachNodesRollbackAndTheError() {
    List<String> lines = RolloutView.lines(Recorded.rollout("rolled-back"));
    assertEquals("rollout r-3-10s7 -> game-3.0.0  rolled-back  3/3 batches done  (batch size 1, pipelined, canary, auto-rollback)"
        + "  took 15.6s", lines.get(0));
    assertEquals("  127.0.0.1:38521  game-2.0.0 -> game-3.0.0  rollback rolled-back  actors=0 took=239ms pause.max=0.0ms",
        lines.get(3));
    assertEquals("error: rolled back by request", lines.get(lines.size() - 1));
  }

  @Test
  void onATerminalEachViewReplacesThePreviousInPlace() {
    StringWriter written = new StringWriter();
    Screen screen = new Screen(new PrintWriter(written), true);
    screen.show(PAUSED);
    screen.show(COMPLETED);
    String nl = System.lineSeparator();
    assertEquals(String.join(nl, PAUSED) + nl + "\u001b[5A\r\u001b[J" + String.join(nl, COMPLETED) + nl, written.toString());
  }

  @Test
  void pipedOnlyLinesNotPrintedBeforeArePrinted() {
    StringWriter written = new StringWriter();
    Screen screen = new Screen(new PrintWriter(written), false);
    screen.show(PAUSED);
    List<String> promoted = List.of(PAUSED.get(0).replace("paused  1/3 batches done", "rolling  batch 2/3"), PAUSED.get(1),
        PAUSED.get(2), "  127.0.0.1:38521  game-1.0.0 -> game-2.0.0  install installed  actors=0 took=61ms pause.max=0.0ms",
        PAUSED.get(4));
    screen.show(promoted);
    String nl = System.lineSeparator();
    assertEquals(String.join(nl, PAUSED) + nl + promoted.get(0) + nl + promoted.get(3) + nl, written.toString());
  }
}
