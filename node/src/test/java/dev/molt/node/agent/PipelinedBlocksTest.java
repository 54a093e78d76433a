package dev.molt.node.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.molt.node.supervision.ApplicationTree;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How a pipelined change hands out its blocks: order, overlap, the first failure, the deadline. */
class PipelinedBlocksTest {

  private static List<ApplicationTree.Host> hosts(int count) {
    return IntStream.range(0, count).mapToObj(i -> new ApplicationTree.Host("sup", "a" + i, "counter", null)).toList();
  }

  /** Blocks on a clock that stands still before the deadline: only a test's own clock runs out. */
  private static PipelinedBlocks blocks(List<ApplicationTree.Host> hosts, int size) {
    return new PipelinedBlocks("change-code counter", hosts, size, 1, Duration.ofSeconds(30), () -> 0L);
  }

  @Test
  void oneAtATimeTakesEveryBlockInPathOrder() throws InstallFailure {
    List<String> seen = new ArrayList<>();
    blocks(hosts(7), 3).run(1, block -> seen.add(block.stream().map(ApplicationTree.Host::child).toList().toString()));
    assertEquals(List.of("[a0, a1, a2]", "[a3, a4, a5]", "[a6]"), seen);
  }

  @Test
  void blocksInFlightChangeAtTheSameTime() throws InstallFailure {
    // Each of the first three blocks waits until all three have started: it can only pass if they overlap.
    CountDownLatch allStarted = new CountDownLatch(3);
    List<String> done = Collections.synchronizedList(new ArrayList<>());
    blocks(hosts(6), 2).run(3, block -> {
      allStarted.countDown();
      try {
        if (!allStarted.await(30, TimeUnit.SECONDS)) {
          throw new InstallFailure("change-code counter", null, "blocks did not overlap");
        }
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      done.add(block.get(0).child());
    });
    assertEquals(List.of("a0", "a2", "a4"), done.stream().sorted().toList());
  }

  @Test
  void theEarliestFailingBlockIsTheStepsFailureAndNoBlockIsHandedOutAfterIt() {
    List<String> taken = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch laterFailed = new CountDownLatch(1);
    InstallFailure failure = assertThrows(InstallFailure.class, () -> blocks(hosts(10), 1).run(2, block -> {
      String child = block.get(0).child();
      taken.add(child);
      if (child.equals("a1")) {
        laterFailed.countDown();
        throw new InstallFailure("change-code counter", "sup/a1", "a1 failed");
      }
      if (child.equals("a0")) {
        // Fails after a1 did: the step still reports the earlier block.
        awaitQuietly(laterFailed);
        throw new InstallFailure("change-code counter", "sup/a0", "a0 failed");
      }
    }));
    assertTrue(failure.getMessage().contains("a0 failed"), failure.getMessage());
    // Each thread's next block came after a failed one: none was started.
    assertEquals(List.of("a0", "a1"), taken.stream().sorted().toList());
  }

  @Test
  void anErrorInAHelperThreadFailsTheStepInsteadOfBeingLost() {
    InstallFailure failure = assertThrows(InstallFailure.class, () -> blocks(hosts(4), 1).run(4, block -> {
      if (block.get(0).child().equals("a3")) {
        throw new StackOverflowError("deep");
      }
    }));
    assertTrue(failure.getMessage().contains("java.lang.StackOverflowError: deep"), failure.getMessage());
  }

  @Test
  void aBlockThatUsesUpTheStepsTimeIsTheLastOneStarted() {
    List<String> taken = new ArrayList<>();
    long[] now = {0};
    InstallFailure failure = assertThrows(InstallFailure.class, () -> new PipelinedBlocks("change-code counter",
        hosts(6), 2, 1_000, Duration.ofMillis(50), () -> now[0]).run(1, block -> {
          taken.add(block.get(0).child());
          now[0] = 1_000; // this block took the step's time
        }));
    assertEquals(List.of("a0"), taken);
    assertEquals("step 'change-code counter' failed: the step's 50 ms ran out after 2 of 6 actors (molt.install.step-timeout, "
        + "or the update's own timeout)", failure.getMessage());
  }

  @Test
  void everyBlockBeforeTheFailedOneStillChanges() {
    // a2 fails while a0 and a1 wait: they were handed out before it and must still change. (Whether
    // a3 starts depends on whether a2's failure was recorded when a0's or a1's thread asked for the
    // next block; the test above covers a thread asking after the failure.)
    CountDownLatch failed = new CountDownLatch(1);
    CountDownLatch earlierTaken = new CountDownLatch(2);
    List<String> changed = Collections.synchronizedList(new ArrayList<>());
    InstallFailure failure = assertThrows(InstallFailure.class, () -> blocks(hosts(4), 1).run(3, block -> {
      String child = block.get(0).child();
      if (child.equals("a2")) {
        awaitQuietly(earlierTaken);
        failed.countDown();
        throw new InstallFailure("change-code counter", "sup/a2", "a2 failed");
      }
      earlierTaken.countDown();
      awaitQuietly(failed);
      changed.add(child);
    }));
    assertTrue(failure.getMessage().contains("a2 failed"), failure.getMessage());
    assertTrue(changed.containsAll(List.of("a0", "a1")), "changed: " + changed);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
