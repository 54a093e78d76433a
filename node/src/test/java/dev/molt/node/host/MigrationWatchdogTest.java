package dev.molt.node.host;

import static dev.molt.node.testing.MoltTestKit.V1;
import static dev.molt.node.testing.MoltTestKit.V2;
import static dev.molt.node.testing.MoltTestKit.extra;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorRef;
import dev.molt.node.testing.CounterView;
import dev.molt.node.testing.MoltTestKit;
import dev.molt.node.testing.StuckCode;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A migration that never returns (counter v2's up-migration with {@code extra.hangOnCount} equal to
 * the count) fails the code change at the budget, not after it returns: the host stays on its old
 * code and state and goes on serving; the migration's thread is abandoned and counted as stuck.
 */
class MigrationWatchdogTest {
  private MoltTestKit molt;
  private ActorRef<Object> counter;

  @BeforeEach
  void start() {
    molt = MoltTestKit.create("molt.host.migration-budget = 1s");
    molt.installCounter("1.0.0", "2.0.0");
    counter = molt.kit.spawn(HostActor.create("counter", null), "counter");
    send(1, 3);
  }

  @AfterEach
  void stop() {
    StuckCode.letGo(molt.kit);
    molt.close();
  }

  @Test
  void aSwapWhoseMigrationNeverReturnsFailsAtTheBudgetAndTheActorServesOnV1() {
    HostReply.Failed failed = molt.ask(counter, r -> new HostCommand.Swap(V2, extra("hangOnCount", 3), r),
        HostReply.Failed.class);

    assertEquals("swap", failed.command());
    assertTrue(failed.cause().startsWith("migration of counter from counter-1.0.0 (v1) to counter-2.0.0 (v2) ran over its "
        + "budget of 1000 ms (molt.host.migration-budget); its thread molt-release-code-"), failed.cause());
    assertTrue(failed.cause().contains("in migrateUp of counter v2 (counter-2.0.0) at dev.molt.testbundle.counter.Counter.hang("),
        failed.cause());
    assertTrue(failed.cause().endsWith("; counter stays on counter v1 (counter-1.0.0)"), failed.cause());
    assertEquals(1, molt.registry().counters().stuckThreads());
    assertEquals(1, molt.registry().counters().failedMigrations());

    send(4, 5);
    assertOn(1, 5);
    // The same actor still changes code when the migration can finish.
    molt.ask(counter, r -> new HostCommand.Swap(V2, null, r), HostReply.Changed.class);
    assertOn(2, 5);
  }

  /**
   * Swaps queue their migrations for at most one release-code thread per core: as many stuck
   * migrations as cores must not hold up another actor's swap (a thread abandoned at the budget is
   * replaced), and messages sent while an actor swaps are handled after it, on the new code.
   */
  @Test
  void stuckSwapsOnEveryCoreDoNotHoldUpAnotherActorsSwap() {
    int cores = Runtime.getRuntime().availableProcessors();
    java.util.List<ActorRef<Object>> stuck = new java.util.ArrayList<>();
    for (int i = 0; i < cores; i++) {
      ActorRef<Object> host = molt.kit.spawn(HostActor.create("counter", null), "stuck-" + i);
      for (long seq = 1; seq <= 3; seq++) {
        host.tell(molt.increment(seq));
      }
      stuck.add(host);
    }
    send(4, 4); // counter holds 4: its migration does not hang
    akka.actor.testkit.typed.javadsl.TestProbe<HostReply> replies = molt.kit.createTestProbe(HostReply.class);
    stuck.forEach(host -> host.tell(new HostCommand.Swap(V2, extra("hangOnCount", 3), replies.ref())));
    // Every queue thread is stuck before counter's swap is queued.
    awaitHanging(replies, cores);
    counter.tell(new HostCommand.Swap(V2, extra("hangOnCount", 3), replies.ref()));
    send(5, 7); // stashed while counter swaps, then handled on v2

    java.util.List<HostReply> got = replies.receiveSeveralMessages(cores + 1, java.time.Duration.ofSeconds(30));
    assertEquals(1, got.stream().filter(r -> r instanceof HostReply.Changed c && c.actor().equals("counter")).count(), got::toString);
    assertEquals(cores, got.stream().filter(r -> r instanceof HostReply.Failed f && f.actor().startsWith("stuck-")
        && f.cause().contains("ran over its budget of 1000 ms")).count(), got::toString);
    assertEquals(cores, molt.registry().counters().stuckThreads());
    assertOn(2, 7);
    for (ActorRef<Object> host : stuck) {
      assertEquals(3, molt.get(host).counted());
      assertEquals(1, molt.get(host).version());
    }
  }

  /**
   * Hosts stopped while their migrations hang (a tree stopped mid-install) still have them watched:
   * each is abandoned at its budget and its queue thread replaced, so later swaps still run.
   */
  @Test
  void hostsStoppedWhileTheirSwapsHangDoNotLeaveTheQueueWithoutThreads() {
    int cores = Runtime.getRuntime().availableProcessors();
    akka.actor.testkit.typed.javadsl.TestProbe<HostReply> replies = molt.kit.createTestProbe(HostReply.class);
    java.util.List<ActorRef<Object>> stuck = new java.util.ArrayList<>();
    for (int i = 0; i < cores; i++) {
      ActorRef<Object> host = molt.kit.spawn(HostActor.create("counter", null), "stopped-" + i);
      for (long seq = 1; seq <= 3; seq++) {
        host.tell(molt.increment(seq));
      }
      host.tell(new HostCommand.Swap(V2, extra("hangOnCount", 3), replies.ref()));
      stuck.add(host);
    }
    awaitHanging(replies, cores);
    stuck.forEach(molt.kit::stop);

    send(4, 4); // counter holds 4: its migration does not hang
    HostReply.Changed changed = molt.ask(counter, r -> new HostCommand.Swap(V2, extra("hangOnCount", 3), r),
        HostReply.Changed.class);

    assertEquals(2, changed.toVersion());
    assertOn(2, 4);
    // Each stopped host's migration is abandoned at its budget, whoever was first.
    replies.awaitAssert(java.time.Duration.ofSeconds(30), () -> {
      assertEquals(cores, molt.registry().counters().stuckThreads());
      return null;
    });
  }

  /** A command that finds a swapping host's stash full is refused with the reason, never dropped. */
  @Test
  void aCommandToASwappingHostWithAFullStashIsRefusedNotDropped() {
    molt.close();
    molt = MoltTestKit.create("molt.host.migration-budget = 1s\nmolt.host.stash-capacity = 2");
    molt.installCounter("1.0.0", "2.0.0");
    counter = molt.kit.spawn(HostActor.create("counter", null), "counter");
    send(1, 3);
    akka.actor.testkit.typed.javadsl.TestProbe<HostReply> swapReply = molt.kit.createTestProbe(HostReply.class);
    counter.tell(new HostCommand.Swap(V2, extra("hangOnCount", 3), swapReply.ref()));
    send(4, 5); // fills the stash

    HostReply.Failed refused = molt.ask(counter, HostCommand.GetState::new, HostReply.Failed.class);

    assertEquals(HostReply.Reason.BUSY, refused.reason());
    assertEquals("get-state", refused.command());
    assertEquals("counter is swapping code and its stash is full (capacity 2): the command was not run; ask again",
        refused.cause());
    HostReply.Failed overran = swapReply.expectMessageClass(HostReply.Failed.class, java.time.Duration.ofSeconds(30));
    assertTrue(overran.cause().contains("ran over its budget of 1000 ms"), overran.cause());
    assertOn(1, 5);
  }

  @Test
  void aChangeCodeWhoseMigrationNeverReturnsKeepsTheStashedMessagesForResume() {
    molt.ask(counter, HostCommand.Suspend::new, HostReply.Done.class);
    send(4, 6);
    HostReply.Failed failed = molt.ask(counter, r -> new HostCommand.ChangeCode(V2, extra("hangOnCount", 3), r),
        HostReply.Failed.class);

    assertTrue(failed.cause().contains("ran over its budget of 1000 ms"), failed.cause());
    assertEquals(3, molt.ask(counter, HostCommand.Resume::new, HostReply.Done.class).replayed());
    assertOn(1, 6);
  }

  @Test
  void aPreparedMigrationThatNeverReturnsFailsAtTheBudgetAndTheHostResumesOnV1() {
    // As a barrier install prepares it: outside the host, on a release-code thread watched by the budget.
    CodeChange.Prepared prepared = suspendAndPrepare(extra("hangOnCount", 3));
    assertEquals(1, molt.registry().counters().stuckThreads());

    HostReply.Failed failed = molt.ask(counter, r -> new HostCommand.ChangeCodePrepared(prepared, true, r),
        HostReply.Failed.class);

    assertEquals(HostReply.Reason.MIGRATION_FAILED, failed.reason());
    assertTrue(failed.cause().startsWith("migration of counter from counter-1.0.0 (v1) to counter-2.0.0 (v2) ran over its "
        + "budget of 1000 ms (molt.host.migration-budget); its thread molt-release-code-"), failed.cause());
    assertTrue(failed.cause().endsWith("; counter stays on counter v1 (counter-1.0.0)"), failed.cause());
    assertEquals(1, molt.registry().counters().failedMigrations());
    assertEquals(1, molt.ask(counter, HostCommand.Resume::new, HostReply.Done.class).replayed());
    assertOn(1, 4);
  }

  @Test
  void aPreparedMigrationThatThrowsAnErrorFailsWithItsCauseAndTheHostResumesOnV1() {
    // Not an Exception: before, the item was never answered and the install waited for its deadline.
    CodeChange.Prepared prepared = suspendAndPrepare(extra("serviceError", true));

    assertTrue(prepared.outcome() instanceof CodeChange.Failed, String.valueOf(prepared.outcome()));
    HostReply.Failed failed = molt.ask(counter, r -> new HostCommand.ChangeCodePrepared(prepared, true, r),
        HostReply.Failed.class);
    assertEquals(HostReply.Reason.MIGRATION_FAILED, failed.reason());
    assertTrue(failed.cause().startsWith("migration of counter from counter-1.0.0 (v1) to counter-2.0.0 (v2) failed: "
        + "ServiceConfigurationError: no provider of counter labels (extra.serviceError is set)"),
        failed.cause());
    assertEquals(0, molt.registry().counters().stuckThreads());
    assertEquals(1, molt.ask(counter, HostCommand.Resume::new, HostReply.Done.class).replayed());
    assertOn(1, 4);
  }

  @Test
  void aSwapWhoseMigrationThrowsAnErrorFailsWithItsCauseAndTheActorServesOnV1() {
    HostReply.Failed failed = molt.ask(counter, r -> new HostCommand.Swap(V2, extra("serviceError", true), r),
        HostReply.Failed.class);

    assertTrue(failed.cause().startsWith("migration of counter from counter-1.0.0 (v1) to counter-2.0.0 (v2) failed: "
        + "ServiceConfigurationError: no provider of counter labels"), failed.cause());
    send(4, 5);
    assertOn(1, 5);
  }

  /** Suspends counter lending its state, sends it increment 4 (stashed), and prepares its migration to v2 with {@code extra}. */
  private CodeChange.Prepared suspendAndPrepare(com.fasterxml.jackson.databind.JsonNode extra) {
    HostReply.Suspended suspended = molt.ask(counter, HostCommand.SuspendForChange::new, HostReply.Suspended.class);
    send(4, 4);
    return CodeChange.prepare(molt.registry(), "counter", java.util.List.of(suspended.source()), V2, extra, null, 1,
        System.nanoTime() + TimeUnit.MINUTES.toNanos(1)).get(0);
  }

  /** Waits until {@code count} threads are inside counter v2's never-returning migration. */
  private static void awaitHanging(akka.actor.testkit.typed.javadsl.TestProbe<?> probe, int count) {
    probe.awaitAssert(java.time.Duration.ofSeconds(30), () -> {
      assertEquals(count, Thread.getAllStackTraces().values().stream()
          .filter(stack -> java.util.Arrays.stream(stack).anyMatch(f -> f.getMethodName().equals("hang"))).count());
      return null;
    });
  }

  private void assertOn(int version, long counted) {
    HostReply.Status status = molt.ask(counter, HostCommand.GetStatus::new, HostReply.Status.class);
    assertEquals(version == 1 ? V1 : V2, status.release());
    CounterView view = molt.get(counter);
    assertEquals(version, view.version());
    assertEquals(counted, view.counted());
    assertEquals(0, view.gaps());
  }

  private void send(long from, long to) {
    for (long seq = from; seq <= to; seq++) {
      counter.tell(molt.increment(seq));
    }
  }
}
