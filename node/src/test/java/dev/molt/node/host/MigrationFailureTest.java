package dev.molt.node.host;

import static dev.molt.node.testing.MoltTestKit.V1;
import static dev.molt.node.testing.MoltTestKit.V2;
import static dev.molt.node.testing.MoltTestKit.V3;
import static dev.molt.node.testing.MoltTestKit.extra;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorRef;
import dev.molt.node.testing.CounterView;
import dev.molt.node.testing.Increment;
import dev.molt.node.testing.MoltTestKit;
import dev.molt.protocol.release.ReleaseId;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A code change that cannot complete leaves the actor on its old code and state, serving. */
class MigrationFailureTest {
  private MoltTestKit molt;
  private ActorRef<Object> counter;

  @BeforeEach
  void start() {
    molt = MoltTestKit.create();
    molt.installCounter("1.0.0", "2.0.0");
    counter = molt.kit.spawn(HostActor.create("counter", null), "counter");
    send(1, 3);
  }

  @AfterEach
  void stop() {
    molt.close();
  }

  @Test
  void throwingMigrationKeepsV1AndReportsTheCause() {
    molt.ask(counter, HostCommand.Suspend::new, HostReply.Done.class);
    send(4, 6);
    HostReply.Failed failed = molt.ask(counter,
        r -> new HostCommand.ChangeCode(V2, extra("fail", true), r), HostReply.Failed.class);

    assertEquals("change-code", failed.command());
    assertTrue(failed.cause().contains("migration of counter from counter-1.0.0 (v1) to counter-2.0.0 (v2) failed"), failed.cause());
    assertTrue(failed.cause().contains("IllegalStateException: migration refused: extra.fail is set"), failed.cause());
    assertEquals(1, molt.registry().counters().failedMigrations());

    // Messages stashed before the failed change are still there after it.
    assertEquals(3, molt.ask(counter, HostCommand.Resume::new, HostReply.Done.class).replayed());
    assertStillV1With(6);
  }

  @Test
  void aThrowingMigrationNamesTheBehaviourClassAndLineInReleaseCode() throws Exception {
    HostReply.Failed failed = molt.ask(counter,
        r -> new HostCommand.Swap(V2, extra("fail", true), r), HostReply.Failed.class);

    int line = lineOf("counter-2.0.0", "throw new IllegalStateException(\"migration refused: extra.fail is set\")");
    assertTrue(failed.cause().contains("failed: IllegalStateException: migration refused: extra.fail is set"
        + " at dev.molt.testbundle.counter.Counter.migrateUp(Counter.java:" + line + ")"), failed.cause());
    assertStillV1With(3);
  }

  /** The line of {@code code} in a test bundle's Counter source, as its compiled class reports it. */
  static int lineOf(String bundle, String code) throws java.io.IOException {
    java.util.List<String> lines = java.nio.file.Files.readAllLines(
        java.nio.file.Path.of("src/test/bundles", bundle, "java/dev/molt/testbundle/counter/Counter.java"));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(code)) {
        return i + 1;
      }
    }
    throw new IllegalStateException("no line with " + code + " in " + bundle);
  }

  @Test
  void migrationOverItsBudgetKeepsV1() {
    HostReply.Failed failed = molt.ask(counter,
        r -> new HostCommand.Swap(V2, extra("sleepMillis", 300), Duration.ofMillis(50), r), HostReply.Failed.class);

    assertTrue(failed.cause().contains("over its budget of 50 ms"), failed.cause());
    assertStillV1With(3);
  }

  @Test
  void onTheActorsOwnThreadTheBudgetIsCheckedWhenTheMigrationReturns() {
    molt.close();
    molt = MoltTestKit.create("molt.host.migration-thread = actor");
    molt.installCounter("1.0.0", "2.0.0");
    counter = molt.kit.spawn(HostActor.create("counter", null), "counter");
    send(1, 3);
    HostReply.Failed failed = molt.ask(counter,
        r -> new HostCommand.Swap(V2, extra("sleepMillis", 300), Duration.ofMillis(50), r), HostReply.Failed.class);

    assertTrue(failed.cause().matches("migration of counter from counter-1.0.0 \\(v1\\) to counter-2.0.0 \\(v2\\) took "
        + "\\d+ ms, over its budget of 50 ms \\(the command's budget\\); counter stays on counter v1 \\(counter-1.0.0\\)"),
        failed.cause());
    assertEquals(0, molt.registry().counters().stuckThreads(), "no thread was abandoned");
    assertStillV1With(3);
  }

  @Test
  void noMigrationPathIsRefusedWithTheVersionsLoaded() {
    molt.installCounter("3.0.0");
    molt.registry().purge(V2);
    HostReply.Failed failed = molt.ask(counter, r -> new HostCommand.Swap(V3, null, r), HostReply.Failed.class);

    assertTrue(failed.cause().contains("no migration path for 'counter' from v1 to v3 with the loaded versions [1, 3]"),
        failed.cause());
    assertStillV1With(3);
  }

  @Test
  void unknownReleaseIsRefused() {
    HostReply.Failed failed = molt.ask(counter,
        r -> new HostCommand.Swap(new ReleaseId("counter", "9.9.9"), null, r), HostReply.Failed.class);
    assertEquals("release counter-9.9.9 is not loaded on this node", failed.cause());
    assertStillV1With(3);
  }

  @Test
  void changeCodeNeedsSuspendAndSwapNeedsRunning() {
    HostReply.Failed notSuspended = molt.ask(counter, r -> new HostCommand.ChangeCode(V2, null, r), HostReply.Failed.class);
    assertTrue(notSuspended.cause().contains("is not suspended"), notSuspended.cause());

    molt.ask(counter, HostCommand.Suspend::new, HostReply.Done.class);
    HostReply.Failed suspended = molt.ask(counter, r -> new HostCommand.Swap(V2, null, r), HostReply.Failed.class);
    assertTrue(suspended.cause().contains("is suspended: use ChangeCode, then Resume"), suspended.cause());
    molt.ask(counter, HostCommand.Resume::new, HostReply.Done.class);
    assertStillV1With(3);
  }

  private void assertStillV1With(long counted) {
    HostReply.Status status = molt.ask(counter, HostCommand.GetStatus::new, HostReply.Status.class);
    assertEquals(V1, status.release());
    assertEquals(1, status.version());
    assertEquals(0, status.codeChanges());
    CounterView view = molt.get(counter);
    assertEquals(1, view.version(), "v1 answers");
    assertEquals(counted, view.count());
    assertEquals(counted, view.lastSeq());
    assertEquals(0, view.gaps());
  }

  private void send(long from, long to) {
    for (long seq = from; seq <= to; seq++) {
      counter.tell(molt.increment(seq));
    }
  }
}
