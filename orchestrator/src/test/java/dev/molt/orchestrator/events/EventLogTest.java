package dev.molt.orchestrator.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.pubsub.Topic;
import akka.http.javadsl.model.sse.ServerSentEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A node's event log on its own, with events numbered as a singleton numbers them: exact replay
 * after a Last-Event-ID, the explicit "missed" event (counted) for an id older than the buffer or
 * of an orchestrator this node never heard, and a client ahead of this node (it saw an event on
 * another node first) sent only what follows its id.
 */
class EventLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ActorTestKit kit = ActorTestKit.create();
  private static final int CAPACITY = 3;
  private static final long INCARNATION = 1_733_300_000_000L;

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void replaysExactlyWhatWasMissedAndSaysWhatIsGone() throws Exception {
    EventMetrics metrics = new EventMetrics();
    ActorRef<Topic.Command<RolloutEvent>> topic = kit.spawn(Topic.create(RolloutEvent.class, "events-test"));
    ActorRef<EventLog.Command> log = kit.spawn(EventLog.create(topic, CAPACITY, metrics, seen -> {}));

    TestProbe<ServerSentEvent> live = kit.createTestProbe();
    log.tell(new EventLog.Attach(Optional.empty(), live.ref()));
    for (int i = 1; i <= 5; i++) {
      log.tell(new EventLog.Published(event(i)));
    }
    for (int i = 1; i <= 5; i++) {
      assertEvent(live.receiveMessage(), i);
    }

    TestProbe<ServerSentEvent> reconnected = kit.createTestProbe();
    log.tell(new EventLog.Attach(Optional.of(id(3)), reconnected.ref()));
    assertEvent(reconnected.receiveMessage(), 4);
    assertEvent(reconnected.receiveMessage(), 5);
    log.tell(new EventLog.Published(event(6)));
    assertEvent(reconnected.receiveMessage(), 6);
    assertEvent(live.receiveMessage(), 6);

    // The buffer holds 4..6: after 1, events 2 and 3 are gone.
    TestProbe<ServerSentEvent> late = kit.createTestProbe();
    log.tell(new EventLog.Attach(Optional.of(id(1)), late.ref()));
    JsonNode missed = missed(late.receiveMessage());
    assertEquals(2, missed.path("missed").asLong(), missed.toString());
    assertEquals(id(1).toString(), missed.path("lastEventId").asText());
    assertTrue(missed.path("reason").asText().contains("replay starts at " + id(4)), missed.toString());
    for (int i = 4; i <= 6; i++) {
      assertEvent(late.receiveMessage(), i);
    }

    // An id of an earlier orchestrator this node never heard (or of the first version, numbered per node): said so, then all it has.
    for (String old : List.of((INCARNATION - 5) + "-99", "99")) {
      TestProbe<ServerSentEvent> unknownClient = kit.createTestProbe();
      log.tell(new EventLog.Attach(EventId.parse(old), unknownClient.ref()));
      JsonNode unknown = missed(unknownClient.receiveMessage());
      assertTrue(unknown.path("missed").isNull(), unknown.toString());
      assertEquals(old.contains("-") ? old : "0-99", unknown.path("lastEventId").asText());
      assertTrue(unknown.path("reason").asText().contains("by an orchestrator this node never heard"), unknown.toString());
      for (int i = 4; i <= 6; i++) {
        assertEvent(unknownClient.receiveMessage(), i);
      }
    }

    // A client that saw event 8 on another node before event 7 reached this one: nothing again, then 9.
    TestProbe<ServerSentEvent> ahead = kit.createTestProbe();
    log.tell(new EventLog.Attach(Optional.of(id(8)), ahead.ref()));
    log.tell(new EventLog.Published(event(7)));
    log.tell(new EventLog.Published(event(8)));
    log.tell(new EventLog.Published(event(9)));
    assertEvent(ahead.receiveMessage(), 9);
    for (int i = 7; i <= 9; i++) {
      assertEvent(live.receiveMessage(), i);
    }

    assertEquals(2.0, metrics.registry().scrape().stream()
        .filter(s -> s.getMetadata().getPrometheusName().startsWith("molt_events_missed"))
        .flatMap(s -> s.getDataPoints().stream()).mapToDouble(p -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot
            .CounterDataPointSnapshot) p).getValue()).sum(), "missed events counted");
  }

  @Test
  void aClientReconnectingToANodeThatKeepsNothingYetGetsOnlyWhatFollowsItsId() throws Exception {
    ActorRef<Topic.Command<RolloutEvent>> topic = kit.spawn(Topic.create(RolloutEvent.class, "events-empty-test"));
    ActorRef<EventLog.Command> log = kit.spawn(EventLog.create(topic, CAPACITY, new EventMetrics(), seen -> {}));
    TestProbe<ServerSentEvent> client = kit.createTestProbe();
    log.tell(new EventLog.Attach(Optional.of(id(5)), client.ref()));
    JsonNode missed = missed(client.receiveMessage());
    assertTrue(missed.path("reason").asText().contains("it keeps no rollout events yet"), missed.toString());
    for (int i = 4; i <= 6; i++) {
      log.tell(new EventLog.Published(event(i)));
    }
    assertEvent(client.receiveMessage(), 6); // the log tells in order: 4 and 5 were not sent before it
  }

  private static EventId id(int n) {
    return new EventId(INCARNATION, n);
  }

  private static RolloutEvent event(int n) {
    return new RolloutEvent(RolloutEvent.Type.PHASE, "r-1",
        JSON.createObjectNode().put("type", "phase").put("rollout", "r-1").put("phase", "rolling").put("n", n).toString())
        .numbered(id(n));
  }

  private static void assertEvent(ServerSentEvent sse, int n) throws Exception {
    assertEquals(Optional.of(INCARNATION + "-" + n), sse.getId(), sse.toString());
    assertEquals(Optional.of("phase"), sse.getEventType());
    JsonNode data = JSON.readTree(sse.getData());
    assertEquals(INCARNATION + "-" + n, data.path("eventId").asText(), "the data carries the id");
    assertEquals(n, data.path("id").asInt(), "and, as the first version did, its number");
    assertEquals(INCARNATION, data.path("incarnation").asLong());
    assertEquals(n, data.path("n").asInt(), "event " + n + " in its place: " + data);
  }

  private static JsonNode missed(ServerSentEvent sse) throws Exception {
    assertEquals(Optional.of("missed"), sse.getEventType(), sse.toString());
    assertEquals(Optional.empty(), sse.getId(), "no id: the client's last id stays");
    return JSON.readTree(sse.getData());
  }
}
