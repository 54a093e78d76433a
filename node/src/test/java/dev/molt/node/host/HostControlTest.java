package dev.molt.node.host;

import static dev.molt.node.testing.MoltTestKit.V2;
import static dev.molt.node.testing.MoltTestKit.extra;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.DeadLetter;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.molt.node.testing.CounterView;
import dev.molt.node.testing.Increment;
import dev.molt.node.testing.MoltTestKit;
import dev.molt.protocol.envelope.Envelope;
import dev.molt.protocol.envelope.Rejection;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sys-like control protocol: bounded stash, replay order, state get/replace, restart. */
class HostControlTest {
  private static final int STASH = 5;
  private MoltTestKit molt;

  @BeforeEach
  void start() {
    molt = MoltTestKit.create("molt.host.stash-capacity = " + STASH);
    molt.installCounter("1.0.0", "2.0.0");
  }

  @AfterEach
  void stop() {
    molt.close();
  }

  @Test
  void stashOverflowIsRejectedExplicitlyAndCountedThenTheRestReplaysInOrder() {
    ActorRef<Object> counter = molt.kit.spawn(HostActor.create("counter", null), "counter");
    TestProbe<DeadLetter> deadLetters = molt.kit.createDeadLetterProbe();
    TestProbe<Envelope> sender = molt.kit.createTestProbe(Envelope.class);
    molt.ask(counter, HostCommand.Suspend::new, HostReply.Done.class);

    for (long seq = 1; seq <= STASH; seq++) {
      counter.tell(molt.increment(seq));
    }
    // Over capacity: one with a reply-to (told), one without (dead letters).
    counter.tell(molt.envelopes().of("get", 1, Map.of("replyTo", sender.getRef())));
    counter.tell(molt.increment(99));

    Envelope rejected = sender.receiveMessage();
    assertEquals(Envelope.REJECTED, rejected.type());
    Rejection why = molt.envelopes().read(rejected, Rejection.class);
    assertEquals("get", why.type());
    assertTrue(why.reason().contains("stash full (capacity 5)"), why.reason());
    DeadLetter dead = deadLetters.receiveMessage();
    assertEquals("increment", ((Envelope) dead.message()).type());

    HostReply.Status suspended = molt.ask(counter, HostCommand.GetStatus::new, HostReply.Status.class);
    assertTrue(suspended.suspended());
    assertEquals(STASH, suspended.stashed());
    assertEquals(2, suspended.rejected());
    assertEquals(2, molt.registry().counters().stashOverflows());

    HostReply.Done resumed = molt.ask(counter, HostCommand.Resume::new, HostReply.Done.class);
    assertEquals(STASH, resumed.replayed());
    CounterView view = molt.get(counter);
    assertEquals(STASH, view.count(), "the stashed ones, not the rejected one");
    assertEquals(STASH, view.lastSeq());
    assertEquals(0, view.gaps(), "replayed in arrival order");
  }

  @Test
  void anUnknownSchemaVersionOrADeepPayloadIsRejectedNotMisreadAndTheHostServesOn() {
    ActorRef<Object> counter = molt.kit.spawn(HostActor.create("counter", null), "counter");
    TestProbe<Envelope> sender = molt.kit.createTestProbe(Envelope.class);
    var mapper = molt.envelopes().mapper();

    var future = mapper.createObjectNode().put("seq", 1).put("replyTo", akka.actor.typed.ActorRefResolver.get(molt.kit.system())
        .toSerializationFormat(sender.getRef()));
    counter.tell(new Envelope("increment", 99, future));
    Rejection unknown = molt.envelopes().read(sender.receiveMessage(), Envelope.REJECTED, Rejection.class);
    assertEquals("schemaVersion 99 of 'increment' is unknown on this node: the schema versions known are "
        + "1..2", unknown.reason());
    assertEquals("1..2", molt.envelopes().knownSchemaVersions(), "counter 2.0.0 writes schema 2");

    var deep = future.deepCopy();
    var nested = deep.putArray("nested");
    for (int i = 0; i < 200_000; i++) {
      nested = nested.addArray();
    }
    counter.tell(new Envelope("increment", 1, deep));
    Rejection tooDeep = molt.envelopes().read(sender.receiveMessage(), Envelope.REJECTED, Rejection.class);
    assertTrue(tooDeep.reason().contains("nested deeper than 64 levels (molt.envelope.max-payload-depth)"), tooDeep.reason());

    counter.tell(molt.increment(1));
    assertEquals(1, molt.get(counter).count(), "neither was applied; the next message is");
    assertEquals(2, molt.ask(counter, HostCommand.GetStatus::new, HostReply.Status.class).rejected());
  }

  @Test
  void getAndReplaceStateAsJson() throws Exception {
    ActorRef<Object> counter = molt.kit.spawn(HostActor.create("counter", null), "counter");
    var mapper = new ObjectMapper();
    var fortyOne = mapper.readTree("{\"count\": 41, \"lastSeq\": 41, \"gaps\": 0, \"pongs\": 0}");
    HostReply.State replaced = molt.ask(counter, r -> new HostCommand.ReplaceState(fortyOne, r), HostReply.State.class);
    assertEquals(41, replaced.state().get("count").asLong());

    counter.tell(molt.increment(42));
    HostReply.State state = molt.ask(counter, HostCommand.GetState::new, HostReply.State.class);
    assertEquals(42, state.state().get("count").asLong());
    assertEquals(0, state.state().get("gaps").asLong());

    var notANumber = mapper.readTree("{\"count\": \"many\"}");
    HostReply.Failed bad = molt.ask(counter, r -> new HostCommand.ReplaceState(notANumber, r), HostReply.Failed.class);
    assertTrue(bad.cause().startsWith("state rejected by counter v1 (counter-1.0.0)"), bad.cause());
    assertEquals(42, molt.get(counter).count(), "a rejected state changes nothing");
  }

  @Test
  void unknownMessageTypeIsRejectedToTheSender() {
    ActorRef<Object> counter = molt.kit.spawn(HostActor.create("counter", null), "counter");
    TestProbe<Envelope> sender = molt.kit.createTestProbe(Envelope.class);
    counter.tell(molt.envelopes().of("reset", 1, Map.of("replyTo", sender.getRef())));
    Rejection why = molt.envelopes().read(sender.receiveMessage(), Envelope.REJECTED, Rejection.class);
    assertTrue(why.reason().startsWith("unknown message type 'reset' for counter v1"), why.reason());
    assertEquals(0, molt.get(counter).count());
  }

  @Test
  void supervisorRestartAfterASwapComesBackOnTheCurrentRelease() {
    ActorRef<Object> counter = molt.kit.spawn(HostActor.supervised("counter", null), "counter");
    counter.tell(molt.increment(1));
    molt.ask(counter, r -> new HostCommand.Swap(V2, extra("label", "swapped"), r), HostReply.Changed.class);
    molt.registry().makeCurrent(V2);

    counter.tell(molt.envelopes().of("crash", 1, Map.of("why", "test")));

    HostReply.Status status = molt.ask(counter, HostCommand.GetStatus::new, HostReply.Status.class);
    assertEquals(V2, status.release(), "restarted on the current release, not the one it was spawned on");
    assertEquals(2, status.version());
    CounterView view = molt.get(counter);
    assertEquals(2, view.version());
    assertEquals(0, view.counted(), "a restart starts from the initial state, as in OTP");
    assertEquals(1, molt.registry().find(V2).orElseThrow().users(), "the restarted host holds v2 once, not twice");
  }

  @Test
  void restartGoesToTheCurrentReleaseEvenWhenTheActorHadMovedElsewhere() {
    ActorRef<Object> counter = molt.kit.spawn(HostActor.supervised("counter", null), "counter");
    molt.ask(counter, r -> new HostCommand.Swap(V2, null, r), HostReply.Changed.class);
    // v1 is still current: like a process restarted by its supervisor in OTP, it runs the current code.
    counter.tell(molt.envelopes().of("crash", 1, Map.of("why", "test")));
    assertEquals(MoltTestKit.V1, molt.ask(counter, HostCommand.GetStatus::new, HostReply.Status.class).release());
    assertEquals(0, molt.registry().find(V2).orElseThrow().users(), "v2 was handed back at the restart");
  }

  @Test
  void stashedMessagesSurviveARestartDuringReplay() {
    ActorRef<Object> counter = molt.kit.spawn(HostActor.supervised("counter", null), "counter");
    molt.ask(counter, HostCommand.Suspend::new, HostReply.Done.class);
    counter.tell(molt.increment(1));
    counter.tell(molt.increment(2));
    counter.tell(molt.envelopes().of("crash", 1, Map.of("why", "in the stash")));
    counter.tell(molt.increment(3));
    counter.tell(molt.increment(4));
    molt.ask(counter, HostCommand.Resume::new, HostReply.Done.class);

    CounterView view = molt.get(counter);
    assertEquals(4, view.lastSeq(), "the messages after the crash were replayed by the new incarnation");
    assertEquals(2, view.count(), "3 and 4, counted from the restart's initial state");
  }

  @Test
  void releaseCodeRunsWithItsOwnContextClassLoader() {
    ActorRef<Object> counter = molt.kit.spawn(HostActor.create("counter", null), "counter");
    TestProbe<Envelope> probe = molt.kit.createTestProbe(Envelope.class);
    counter.tell(molt.envelopes().of("tccl", 1, Map.of("replyTo", probe.getRef())));
    assertTrue(probe.receiveMessage().payload().get("own").asBoolean(), "the thread's context class loader is the release's");
  }

  @Test
  void aLinkageErrorInReleaseCodeIsAnOrdinaryFailureNotAFatalOne() {
    // Akka treats LinkageError as fatal (it would stop the JVM); the host must hand it over as a plain failure.
    ActorRef<Object> counter = molt.kit.spawn(HostActor.supervised("counter", null), "counter");
    counter.tell(molt.increment(1));
    counter.tell(molt.envelopes().of("link", 1, Map.of()));
    counter.tell(molt.increment(2));
    CounterView view = molt.get(counter);
    assertEquals(2, view.lastSeq(), "restarted and serving");
    assertEquals(1, view.count());
    assertTrue(!molt.kit.system().whenTerminated().isCompleted(), "the actor system is still up");
  }
}
