package dev.molt.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code status --timeout} against a server answering recorded rollouts in each final phase: the
 * exit code for each, 6 for one that does not end in time (on an open event stream that sends
 * nothing, and on a server without one, polled), and 1 with the server's words for an unknown id. (The completed and rolled-back cases also run against a real node: {@link
 * StatusOnANodeTest}.)
 */
class StatusExitCodesTest {
  private final Map<String, String> rollouts = new ConcurrentHashMap<>();
  private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
  private HttpServer server;
  private Map<String, String> env;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/molt/rollouts/", exchange -> {
      String id = exchange.getRequestURI().getPath().substring("/molt/rollouts/".length());
      String body = rollouts.get(id);
      answer(exchange, body == null ? 404 : 200, body == null
          ? "{\"error\":\"unknown rollout\",\"detail\":\"no rollout '" + id + "'\"}" : body);
    });
    server.start();
    env = Map.of("MOLT_URL", "http://127.0.0.1:" + server.getAddress().getPort(), "HOME", "/nonexistent");
  }

  @AfterEach
  void stop() {
    stopped.countDown();
    server.stop(0);
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private Recorded.Run statusOf(String recorded, String phase) {
    ObjectNode rollout = (ObjectNode) Recorded.rollout(recorded);
    if (phase != null) {
      rollout.put("phase", phase);
    }
    rollouts.put(rollout.path("id").asText(), rollout.toString());
    return Recorded.moltctl(env, false, "status", rollout.path("id").asText(), "--timeout", "3s");
  }

  @Test
  void completedExitsZeroWithTheView() {
    Recorded.Run run = statusOf("completed", null);
    assertEquals(0, run.exit(), run.toString());
    assertEquals(RolloutView.lines(Recorded.rollout("completed")),
        run.out().lines().toList());
  }

  @Test
  void rolledBackExitsFour() {
    Recorded.Run run = statusOf("rolled-back", null);
    assertEquals(4, run.exit(), run.toString());
    assertTrue(run.out().contains("error: rolled back by request"), run.out());
  }

  @Test
  void failedExitsThree() {
    assertEquals(3, statusOf("completed", "failed").exit());
  }

  @Test
  void abortedExitsFive() {
    assertEquals(5, statusOf("completed", "aborted").exit());
  }

  @Test
  void aRolloutThatDoesNotEndInTimeExitsSixSayingItGoesOn() {
    server.createContext("/molt/events", exchange -> { // open, and quiet
      exchange.sendResponseHeaders(200, 0);
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    Recorded.Run run = statusOf("canary-paused", null);
    assertEquals(6, run.exit(), run.toString());
    assertEquals("moltctl: rollout r-2-g8i did not end within 3 s; it is paused and goes on" + System.lineSeparator(), run.err());
    assertTrue(run.out().startsWith("rollout r-2-g8i -> game-2.0.0  paused"), "the last view is shown: " + run.out());
  }

  @Test
  void polledWithoutAnEventStreamItStillExitsSix() {
    Recorded.Run run = statusOf("canary-paused", null);
    assertEquals(6, run.exit(), run.toString());
    assertEquals("moltctl: no event stream (HTTP 404 from " + env.get("MOLT_URL") + "/molt/events: 404 Not Found No context found "
        + "for request); polling every 500 ms instead" + System.lineSeparator()
        + "moltctl: rollout r-2-g8i did not end within 3 s; it is paused and goes on" + System.lineSeparator(), run.err());
  }

  @Test
  void anUnknownIdExitsOneWithTheServersError() {
    Recorded.Run run = Recorded.moltctl(env, false, "status", "r-9-x", "--timeout", "3s");
    assertEquals(1, run.exit(), run.toString());
    assertEquals("moltctl: no rollout r-9-x: HTTP 404 from " + env.get("MOLT_URL") + "/molt/rollouts/r-9-x: unknown rollout:"
        + " no rollout 'r-9-x'" + System.lineSeparator(), run.err());
  }
}
