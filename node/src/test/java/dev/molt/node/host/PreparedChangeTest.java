package dev.molt.node.host;

import static dev.molt.node.testing.MoltTestKit.V1;
import static dev.molt.node.testing.MoltTestKit.V2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.molt.node.testing.CounterView;
import dev.molt.node.testing.MoltTestKit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A barrier install's code change: the suspended host lends its state, the install migrates it
 * outside the host ({@link CodeChange#prepare}), and the host switches to the result and resumes
 * in one message. A preparation made from a state the host no longer has is not used.
 */
class PreparedChangeTest {
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
  void aPreparedChangeSwitchesAndResumesInOneMessageReplayingTheStash() {
    HostReply.Suspended suspended = molt.ask(counter, HostCommand.SuspendForChange::new, HostReply.Suspended.class);
    send(4, 5);
    CodeChange.Prepared prepared = prepare(suspended);
    assertTrue(prepared.outcome() instanceof CodeChange.Migrated, String.valueOf(prepared.outcome()));

    HostReply.Done done = molt.ask(counter, r -> new HostCommand.ChangeCodePrepared(prepared, true, r), HostReply.Done.class);

    assertEquals("change-code", done.command());
    assertEquals(2, done.replayed(), "the two increments sent while suspended");
    HostReply.Status status = molt.ask(counter, HostCommand.GetStatus::new, HostReply.Status.class);
    assertFalse(status.suspended());
    assertEquals(V2, status.release());
    assertEquals(1, status.codeChanges());
    CounterView view = molt.get(counter);
    assertEquals(2, view.version());
    assertEquals(5, view.counted());
    assertEquals(0, view.gaps());
  }

  @Test
  void aPreparationFromAReplacedStateIsNotUsedTheHostMigratesWhatItHolds() throws Exception {
    HostReply.Suspended suspended = molt.ask(counter, HostCommand.SuspendForChange::new, HostReply.Suspended.class);
    CodeChange.Prepared stale = prepare(suspended);
    var fortyOne = new ObjectMapper().readTree("{\"count\": 41, \"lastSeq\": 41, \"gaps\": 0, \"pongs\": 0}");
    molt.ask(counter, r -> new HostCommand.ReplaceState(fortyOne, r), HostReply.State.class);

    HostReply.Changed changed = molt.ask(counter, r -> new HostCommand.ChangeCodePrepared(stale, false, r),
        HostReply.Changed.class);

    assertEquals(V1, changed.from());
    assertEquals(V2, changed.to());
    assertTrue(molt.ask(counter, HostCommand.GetStatus::new, HostReply.Status.class).suspended(),
        "without resume the host stays suspended");
    assertEquals(0, molt.ask(counter, HostCommand.Resume::new, HostReply.Done.class).replayed());
    CounterView view = molt.get(counter);
    assertEquals(2, view.version());
    assertEquals(41, view.counted(), "the replaced state, migrated by the host itself; not the lent one (3)");
  }

  @Test
  void aPreparedChangeOnARunningHostIsRefusedAndChangesNothing() {
    HostReply.Suspended suspended = molt.ask(counter, HostCommand.SuspendForChange::new, HostReply.Suspended.class);
    CodeChange.Prepared prepared = prepare(suspended);
    molt.ask(counter, HostCommand.Resume::new, HostReply.Done.class);

    HostReply.Failed failed = molt.ask(counter, r -> new HostCommand.ChangeCodePrepared(prepared, true, r),
        HostReply.Failed.class);

    assertEquals(HostReply.Reason.NOT_SUSPENDED, failed.reason());
    assertEquals("counter is not suspended: suspend it first, or use Swap to swap it on its own", failed.cause());
    CounterView view = molt.get(counter);
    assertEquals(1, view.version());
    assertEquals(3, view.counted());
  }

  private CodeChange.Prepared prepare(HostReply.Suspended suspended) {
    return CodeChange.prepare(molt.registry(), "counter", List.of(suspended.source()), V2, MoltTestKit.noExtra(), null,
        1, System.nanoTime() + TimeUnit.MINUTES.toNanos(1))
        .get(0);
  }

  private void send(long from, long to) {
    for (long seq = from; seq <= to; seq++) {
      counter.tell(molt.increment(seq));
    }
  }
}
