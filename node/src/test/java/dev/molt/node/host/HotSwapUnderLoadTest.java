package dev.molt.node.host;

import static dev.molt.node.testing.MoltTestKit.V1;
import static dev.molt.node.testing.MoltTestKit.V2;
import static dev.molt.node.testing.MoltTestKit.extra;
import static dev.molt.node.testing.MoltTestKit.noExtra;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorRef;
import dev.molt.node.envelope.Envelopes;
import dev.molt.node.testing.CounterView;
import dev.molt.node.testing.Increment;
import dev.molt.node.testing.MoltTestKit;
import dev.molt.protocol.release.ReleaseId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The foundation's promise: an actor under a concurrent producer moves v1 → v2 → v1 → v2 between
 * releases loaded from bundles on disk, and no message is lost or reordered, state is carried both
 * ways, and a field v1 does not know survives the trip down and back.
 */
class HotSwapUnderLoadTest {
  private static final int MESSAGES = 20_000;
  private static final int PING_EVERY = 10;
  private static final int BURST = 500;

  private MoltTestKit molt;

  @BeforeEach
  void start() {
    molt = MoltTestKit.create();
    molt.installCounter("1.0.0", "2.0.0");
  }

  @AfterEach
  void stop() {
    molt.close();
  }

  @Test
  void noMessageLostOrReorderedAcrossUpDownUp() throws Exception {
    ActorRef<Object> counter = molt.kit.spawn(HostActor.create("counter", null), "counter");
    Envelopes envelopes = molt.envelopes();

    // The producer stops at each checkpoint until the swapper has sent its first command, then
    // sends a burst before the swapper goes on: messages are queued on both sides of every swap,
    // some into the stash, some behind a swap with the actor's own Pongs of the old release.
    int[] checkpoints = {MESSAGES / 4, MESSAGES / 2, 3 * MESSAGES / 4};
    Semaphore[] commandSent = {new Semaphore(0), new Semaphore(0), new Semaphore(0)};
    Semaphore[] reached = {new Semaphore(0), new Semaphore(0), new Semaphore(0)};
    Semaphore[] burstSent = {new Semaphore(0), new Semaphore(0), new Semaphore(0)};
    AtomicLong pings = new AtomicLong();
    AtomicReference<Throwable> producerFailure = new AtomicReference<>();
    Thread producer = new Thread(() -> {
      try {
        int next = 0;
        int burstOf = -1;
        for (long seq = 1; seq <= MESSAGES; seq++) {
          if (next < checkpoints.length && seq == checkpoints[next]) {
            reached[next].release();
            commandSent[next].acquire();
            burstOf = next++;
          }
          if (burstOf >= 0 && seq == checkpoints[burstOf] + BURST) {
            burstSent[burstOf].release();
          }
          counter.tell(envelopes.of(MoltTestKit.INCREMENT, new Increment(seq)));
          if (seq % PING_EVERY == 0) {
            counter.tell(envelopes.of("ping", 1, Map.of("n", seq)));
            pings.incrementAndGet();
          }
        }
      } catch (Throwable t) {
        producerFailure.set(t);
      }
    }, "producer");
    producer.start();

    List<HostReply.Changed> changes = new ArrayList<>();
    // 1: v1 → v2 the OTP way: suspend, change code, resume.
    reached[0].acquire();
    var first = suspendChangeResume(counter, V2, extra("label", "first"), commandSent[0], burstSent[0]);
    changes.add(first.changed());
    // 2: v2 → v1 by a Swap.
    reached[1].acquire();
    var toV1 = molt.kit.<HostReply>createTestProbe();
    counter.tell(new HostCommand.Swap(V1, noExtra(), toV1.getRef()));
    commandSent[1].release();
    changes.add(expectChanged(toV1.receiveMessage()));
    HostReply.State onV1 = molt.ask(counter, HostCommand.GetState::new, HostReply.State.class);
    // 3: v1 → v2 again, offering another label: the carried one must win.
    reached[2].acquire();
    var third = suspendChangeResume(counter, V2, extra("label", "second"), commandSent[2], burstSent[2]);
    changes.add(third.changed());

    producer.join();
    assertEquals(null, producerFailure.get());

    CounterView view = molt.get(counter);
    assertEquals(2, view.version(), "runs v2 at the end");
    assertEquals(MESSAGES, view.counted(), "every increment counted exactly once");
    assertEquals(MESSAGES, view.lastSeq(), "the last increment handled last");
    assertEquals(0, view.gaps(), "no increment lost or reordered");
    assertEquals("first", view.label(), "the field v1 does not know survived v2 -> v1 -> v2");
    // All Pongs were told before the first Get was handled; a second Get comes after them all.
    assertEquals(pings.get(), molt.get(counter).pongs(), "every Pong the actor sent itself arrived, across releases");

    assertTrue(first.replayed() >= BURST, "the burst sent while suspended was stashed and replayed: " + first.replayed());
    assertTrue(third.replayed() >= BURST, "the burst sent while suspended was stashed and replayed: " + third.replayed());
    assertEquals(1, changes.get(0).fromVersion());
    assertEquals(2, changes.get(0).toVersion());
    assertEquals(1, changes.get(1).toVersion());
    assertEquals(2, changes.get(2).toVersion());
    assertEquals(V1, onV1.release());
    assertEquals("first", onV1.carried().path("label").asText(), "v1 runs with v2's label carried beside its state");
    assertTrue(onV1.state().has("count") && !onV1.state().has("label"), "v1's own state has v1's shape: " + onV1.state());

    HostReply.Status status = molt.ask(counter, HostCommand.GetStatus::new, HostReply.Status.class);
    assertEquals(3, status.codeChanges());
    assertEquals(0, status.rejected());
    assertEquals(0, molt.registry().counters().rejectedMessages());
  }

  @Test
  void chainedMigrationGoesThroughTheVersionInBetween() {
    molt.installCounter("3.0.0");
    ActorRef<Object> counter = molt.kit.spawn(HostActor.create("counter", null), "chained");
    for (long seq = 1; seq <= 5; seq++) {
      counter.tell(molt.increment(seq));
    }
    // v3 only migrates from v2, so 1 → 3 runs v2's up-migration (count → total, label) then v3's.
    var up = molt.ask(counter, r -> new HostCommand.Swap(MoltTestKit.V3, extra("label", "via-v2"), r), HostReply.Changed.class);
    assertEquals(3, up.toVersion());
    CounterView onV3 = molt.get(counter);
    assertEquals(3, onV3.version());
    assertEquals(5, onV3.counted());
    assertEquals("via-v2", onV3.label());

    var down = molt.ask(counter, r -> new HostCommand.Swap(V1, noExtra(), r), HostReply.Changed.class);
    assertEquals(1, down.toVersion());
    CounterView onV1 = molt.get(counter);
    assertEquals(5, onV1.count());
    assertEquals(5, onV1.lastSeq());
  }

  private record SuspendedSwap(HostReply.Changed changed, int replayed) {}

  private SuspendedSwap suspendChangeResume(ActorRef<Object> counter, ReleaseId target,
      com.fasterxml.jackson.databind.JsonNode extra, Semaphore commandSent, Semaphore burstSent) throws InterruptedException {
    var probe = molt.kit.<HostReply>createTestProbe();
    counter.tell(new HostCommand.Suspend(probe.getRef()));
    commandSent.release();
    probe.expectMessageClass(HostReply.Done.class);
    burstSent.acquire();
    counter.tell(new HostCommand.ChangeCode(target, extra, probe.getRef()));
    HostReply.Changed changed = expectChanged(probe.receiveMessage());
    counter.tell(new HostCommand.Resume(probe.getRef()));
    return new SuspendedSwap(changed, probe.expectMessageClass(HostReply.Done.class).replayed());
  }

  private static HostReply.Changed expectChanged(HostReply reply) {
    if (reply instanceof HostReply.Changed changed) {
      return changed;
    }
    throw new AssertionError("expected the code change to succeed, got " + reply);
  }

}
