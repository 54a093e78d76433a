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
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A node's event log on its own: numbering, exact replay after a Last-Event-ID, and the explicit
 * "missed" event (counted) for an id older than the buffer or newer than any the node numbered.
 */
class EventLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ActorTestKit kit = ActorTestKit.create();
  private static final int CAPACITY = 3;

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void replaysExactlyWhatWasMissedAndSaysWhatIsGone() throws Exception {
    EventMetrics metrics = new EventMetrics();
    ActorRef<Topic.Command<RolloutEvent>> topic = kit.spawn(Topic.create(RolloutEvent.class, "events-test"));
    ActorRef<EventLog.Command> log = kit.spawn(EventLog.create(topic, CAPACITY, metrics));

    TestProbe<ServerSentEvent> live = kit.createTestProbe();
    log.tell(new EventLog.Attach(OptionalLong.empty(), live.ref()));
    for (int i = 1; i <= 5; i++) {
      log.tell(new EventLog.Published(event(i)));
    }
    for (int i = 1; i <= 5; i++) {
      assertEvent(live.receiveMessage(), i);
    }

    TestProbe<ServerSentEvent> reconnected = kit.createTestProbe();
    log.tell(new EventLog.Attach(OptionalLong.of(3), reconnected.ref()));
    assertEvent(reconnected.receiveMessage(), 4);
    assertEvent(reconnected.receiveMessage(), 5);
    log.tell(new EventLog.Published(event(6)));
    assertEvent(reconnected.receiveMessage(), 6);
    assertEvent(live.receiveMessage(), 6);

    // The buffer holds 4..6: after 1, events 2 and 3 are gone.
    TestProbe<ServerSentEvent> late = kit.createTestProbe();
    log.tell(new EventLog.Attach(OptionalLong.of(1), late.ref()));
    JsonNode missed = missed(late.receiveMessage());
    assertEquals(2, missed.path("missed").asLong(), missed.toString());
    assertEquals(1, missed.path("lastEventId").asLong());
    assertTrue(missed.path("reason").asText().contains("replay starts at 4"), missed.toString());
    for (int i = 4; i <= 6; i++) {
      assertEvent(late.receiveMessage(), i);
    }

    // An id this node never gave (it restarted since): said so, then all it has.
    TestProbe<ServerSentEvent> restarted = kit.createTestProbe();
    log.tell(new EventLog.Attach(OptionalLong.of(99), restarted.ref()));
    JsonNode unknown = missed(restarted.receiveMessage());
    assertTrue(unknown.path("missed").isNull(), unknown.toString());
    assertTrue(unknown.path("reason").asText().contains("restarted"), unknown.toString());
    for (int i = 4; i <= 6; i++) {
      assertEvent(restarted.receiveMessage(), i);
    }

    assertEquals(2.0, metrics.registry().scrape().stream()
        .filter(s -> s.getMetadata().getPrometheusName().startsWith("molt_events_missed"))
        .flatMap(s -> s.getDataPoints().stream()).mapToDouble(p -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot
            .CounterDataPointSnapshot) p).getValue()).sum(), "missed events counted");
  }

  private static RolloutEvent event(int n) {
    return new RolloutEvent(RolloutEvent.Type.PHASE, "r-1",
        JSON.createObjectNode().put("type", "phase").put("rollout", "r-1").put("phase", "rolling").put("n", n).toString());
  }

  private static void assertEvent(ServerSentEvent sse, int n) throws Exception {
    assertEquals(Optional.of(Integer.toString(n)), sse.getId(), sse.toString());
    assertEquals(Optional.of("phase"), sse.getEventType());
    JsonNode data = JSON.readTree(sse.getData());
    assertEquals(n, data.path("id").asInt(), "the data carries the id");
    assertEquals(n, data.path("n").asInt(), "event " + n + " in its place: " + data);
  }

  private static JsonNode missed(ServerSentEvent sse) throws Exception {
    assertEquals(Optional.of("missed"), sse.getEventType(), sse.toString());
    assertEquals(Optional.empty(), sse.getId(), "no id: the client's last id stays");
    return JSON.readTree(sse.getData());
  }
}
