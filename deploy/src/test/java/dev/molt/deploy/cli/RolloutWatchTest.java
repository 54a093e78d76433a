package dev.molt.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code status --watch} against a stand-in server that plays back an event stream recorded from a
 * 3-node cluster (deploy/local/cluster.sh, the game 1.0.0 -> 2.0.0, batches of one): the view is
 * redrawn with each event's line, a dropped stream is reconnected with the last event's id and the
 * replay continues the view; a server without the stream is polled, said once; reconnects are
 * bounded, then polled.
 */
class RolloutWatchTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<SseEvent> RECORDED = recorded("game-2.0.0");
  private static final JsonNode COMPLETED = Recorded.rollout("game-2.0.0-completed");
  private static final String ID = COMPLETED.path("id").asText();

  private static final String I = "last event 1796410612495-";
  /** The recording's events as lines (timings as N): a canary paused after its first node, promoted. */
  private static final List<String> EXPECTED_LINES = List.of(
      I + "9: started -> game-2.0.0, 3 node(s) in 3 batch(es), barrier, canary",
      I + "10: phase distributing, batch 1/3",
      I + "11: phase rolling (from distributing), batch 1/3",
      I + "12: batch 1/3 started: 127.0.0.1:26422",
      I + "13: install installed on 127.0.0.1:26422: 1.0.0 -> 2.0.0 took=Nms actors=1 pause.max=Nms",
      I + "14: phase paused (from rolling), batch 2/3",
      I + "15: phase rolling (from paused), batch 2/3",
      I + "16: batch 2/3 started: 127.0.0.1:26423",
      I + "17: install installed on 127.0.0.1:26423: 1.0.0 -> 2.0.0 took=Nms actors=1 pause.max=Nms",
      I + "18: batch 3/3 started: 127.0.0.1:26424",
      I + "19: install installed on 127.0.0.1:26424: 1.0.0 -> 2.0.0 took=Nms actors=1 pause.max=Nms",
      I + "20: finished completed in Ns");

  private HttpServer server;
  private final List<String> lastEventIds = Collections.synchronizedList(new ArrayList<>());
  private final AtomicReference<JsonNode> rollout = new AtomicReference<>();
  private final CountDownLatch done = new CountDownLatch(1);
  private final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
  /** When > 0: the read from which the rollout is completed (reads are counted, events may be queued ahead of them). */
  private volatile int completedAtRead;
  private String url;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/molt/rollouts/" + ID, exchange -> {
      reads.incrementAndGet();
      send(exchange, 200, (completedAtRead > 0 && reads.get() >= completedAtRead ? COMPLETED : rollout.get()).toString());
    });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    done.countDown();
    server.stop(0);
  }

  @Test
  void redrawsOnEachEventAndReconnectsWithTheLastId() throws Exception {
    int drop = 4; // the first connection ends after the fourth event
    rollout.set(rolling());
    // One read before the stream, one per connection, one per event: the last one, on "finished", sees the end.
    completedAtRead = 1 + 2 + RECORDED.size();
    server.createContext("/molt/events", exchange -> {
      String after = exchange.getRequestHeaders().getFirst("Last-Event-ID");
      lastEventIds.add(after);
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream body = exchange.getResponseBody()) {
        boolean replaying = after == null;
        for (SseEvent e : RECORDED) {
          if (replaying) {
            body.write(text(e));
            body.flush();
          }
          replaying |= e.id().equals(after);
          if (after == null && e == RECORDED.get(drop - 1)) {
            return; // dropped
          }
        }
        done.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });

    Recorded.Run run = Recorded.moltctl(Map.of(), false, "--url", url, "status", ID, "--watch", "--timeout", "2m");

    assertEquals(0, run.exit(), run.toString());
    assertEquals(completedAtRead, reads.get(), "the rollout read once before the stream, on each connection and each event");
    assertEquals(List.of("null", RECORDED.get(drop - 1).id()), lastEventIds.stream().map(String::valueOf).toList(),
        "reconnected once, with the fourth event's id");
    assertEquals("moltctl: event stream " + url + "/molt/events: the server ended the stream; reconnecting in 500ms after event "
        + RECORDED.get(drop - 1).id() + " (1/8)" + System.lineSeparator(), run.err());
    List<String> eventLines = run.out().lines().filter(l -> l.startsWith("last event ")).toList();
    assertEquals(RECORDED.stream().map(EventLine::of).toList(), eventLines, "each event's line, once, in order");
    List<String> out = run.out().lines().toList();
    List<String> finalView = RolloutView.lines(COMPLETED);
    assertTrue(out.containsAll(finalView), run.out());
    assertEquals(EventLine.of(RECORDED.get(RECORDED.size() - 1)), out.get(out.size() - 1), "ends on the finished event");
  }

  @Test
  void theEventLinesOfTheRecordedRollout() {
    List<String> lines = RECORDED.stream().map(EventLine::of).toList();
    assertEquals(EXPECTED_LINES, lines.stream().map(l -> l.replaceAll("took=\\d+ms", "took=Nms")
        .replaceAll("pause.max=[0-9.]+ms", "pause.max=Nms").replaceAll("in [0-9.]+s$", "in Ns")).toList());
    assertEquals(I + "13: install installed on 127.0.0.1:26422: 1.0.0 -> 2.0.0 took=327ms actors=1 pause.max=135.3ms", lines.get(4));
  }

  @Test
  void aServerWithoutTheStreamIsPolledSaidOnce() throws Exception {
    rollout.set(rolling());
    server.createContext("/molt/events", exchange -> {
      rollout.set(COMPLETED); // the polls see it end
      send(exchange, 404, "{\"error\":\"not found\",\"detail\":\"no route\"}");
    });

    Recorded.Run run = Recorded.moltctl(Map.of(), false, "--url", url, "status", ID, "--watch", "--timeout", "1m");

    assertEquals(0, run.exit(), run.toString());
    assertEquals("moltctl: no event stream (HTTP 404 from " + url + "/molt/events: not found: no route); polling every 500 ms instead"
        + System.lineSeparator(), run.err());
    assertTrue(run.out().lines().toList().containsAll(RolloutView.lines(COMPLETED)), run.out());
  }

  @Test
  void reconnectsAreBoundedThenPolled() throws Exception {
    rollout.set(rolling());
    server.createContext("/molt/events", exchange -> {
      lastEventIds.add(exchange.getRequestHeaders().getFirst("Last-Event-ID"));
      if (lastEventIds.size() == 4) {
        rollout.set(COMPLETED); // ends only once the watch polls
      }
      send(exchange, 503, "{\"error\":\"too many event clients\",\"detail\":\"at most 64\"}");
    });
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Connection connection = Connection.resolve(url, null, null, null, Map.of("HOME", "/nonexistent"));
    RolloutWatch watch = new RolloutWatch(connection.client(), connection, new Screen(new PrintWriter(out), false),
        new PrintWriter(err, true), new EventFeed.Backoff(Duration.ofMillis(10), Duration.ofMillis(20), 3));

    assertEquals(Exit.OK, watch.follow(ID, Duration.ofMinutes(1), true));

    String problem = "HTTP 503 from " + url + "/molt/events: too many event clients: at most 64";
    String nl = System.lineSeparator();
    assertEquals("moltctl: event stream " + url + "/molt/events: " + problem + "; reconnecting in 10ms (1/3)" + nl
        + "moltctl: event stream " + url + "/molt/events: " + problem + "; reconnecting in 20ms (2/3)" + nl
        + "moltctl: event stream " + url + "/molt/events: " + problem + "; reconnecting in 20ms (3/3)" + nl
        + "moltctl: no event stream (gave up after 3 reconnects: " + problem + "); polling every 500 ms instead" + nl, err.toString());
    assertEquals(4, lastEventIds.size());
    assertTrue(out.toString().lines().toList().containsAll(RolloutView.lines(COMPLETED)), out.toString());
  }

  @Test
  void anEventTypeThisMoltctlDoesNotKnowIsShownAsSentAndMissedConcernsEveryRollout() {
    assertEquals("last event 9-1: drained {\"rollout\":\"r-2\"}", EventLine.of(new SseEvent("9-1", "drained", "{\"rollout\":\"r-2\"}")));
    assertEquals("last event: message plain", EventLine.of(new SseEvent(null, "message", "plain")));
    assertTrue(EventLine.concerns(new SseEvent(null, "missed", "{}"), "r-1"));
    assertTrue(EventLine.concerns(new SseEvent(null, "drained", "{\"rollout\":\"r-1\"}"), "r-1"));
    assertFalse(EventLine.concerns(new SseEvent(null, "phase", "{\"rollout\":\"r-2\"}"), "r-1"));
  }

  @Test
  void parsesTheSseTextFormat() {
    SseEvent.Parser parser = new SseEvent.Parser();
    List<SseEvent> events = new ArrayList<>();
    for (String line : List.of(":", "", "id: 7-1", "event: phase", "data: {\"a\":", "data: 1}", "", "event: missed", "data:{}",
        "", "data: plain", "")) {
      SseEvent e = parser.line(line);
      if (e != null) {
        events.add(e);
      }
    }
    assertEquals(List.of(new SseEvent("7-1", "phase", "{\"a\":\n1}"), new SseEvent(null, "missed", "{}"),
        new SseEvent(null, "message", "plain")), events);
  }


  private static JsonNode rolling() {
    ObjectNode r = COMPLETED.deepCopy();
    r.put("phase", "rolling").put("batch", 0).put("finishedAtMillis", 0);
    r.putObject("nodes");
    return r;
  }

  private static byte[] text(SseEvent e) {
    return ("id: " + e.id() + "\nevent: " + e.type() + "\ndata: " + e.data() + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  private static List<SseEvent> recorded(String name) {
    try (InputStream in = RolloutWatchTest.class.getResourceAsStream("/events/" + name + ".sse")) {
      SseEvent.Parser parser = new SseEvent.Parser();
      List<SseEvent> events = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
        SseEvent e = parser.line(line);
        if (e != null) {
          events.add(e);
        }
      }
      return events;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
