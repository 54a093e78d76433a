package dev.molt.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real node JVMs: a client of {@code GET /molt/events} on a node that does not host the
 * orchestrator sees a rollout's every step, in order, ending with completed; reconnects with
 * {@code Last-Event-ID}, to the same node or to another one, get exactly what they missed (the ids
 * are the orchestrator's, the same on every node), or first a "missed" event past the replay
 * buffer; past {@code molt.events.max-clients} a client gets 503, counted; {@code GET /molt/metrics}
 * is valid Prometheus text whose counters moved with the rollout.
 */
class EventsAndMetricsTest {
  private static final int REPLAY_BUFFER = 6;
  private static final int MAX_CLIENTS = 2;

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path work;

  @Test
  void rolloutEventsReachEveryNodeAndReplayAndMetricsMove() throws Exception {
    List<String> options = List.of("-Dmolt.events.replay-buffer=" + REPLAY_BUFFER, "-Dmolt.events.keep-alive=1s",
        "-Dmolt.events.max-clients=" + MAX_CLIENTS);
    try (LocalCluster cluster = LocalCluster.start(work, 3, node -> options)) {
      cluster.onV1WithACounterPerNode();
      int viewer = nodeWithoutTheSingleton(cluster);
      int port = cluster.node(viewer).httpPort;
      List<Map<String, Double>> before = new ArrayList<>();
      for (int n = 0; n < 3; n++) {
        before.add(metrics(cluster, n));
      }

      List<SseClient.Event> seen = new ArrayList<>();
      String id;
      try (SseClient live = new SseClient(port, null)) {
        assertEquals(200, live.status);
        assertTrue(live.contentType.startsWith("text/event-stream"), live.contentType);
        var started = cluster.post(viewer, "/molt/rollouts", "{\"target\": \"2.0.0\", \"batchSize\": 1}");
        assertEquals(202, started.status(), started.toString());
        id = started.body().path("id").asText();
        for (SseClient.Event e = live.next("started"); ; e = live.next("the rollout's next step")) {
          seen.add(e);
          if (e.type().equals("finished")) {
            break;
          }
        }
        cluster.await("a keep-alive after the rollout", () -> live.keepAlives() > 0);
      }
      seen.forEach(e -> System.out.println("[event] id=" + e.id() + " " + e.type() + " " + e.data()));
      assertRolloutInOrder(seen, id, cluster.namesInBatchOrder());
      assertEquals("completed", cluster.awaitRollout(0, id).path("phase").asText());

      // Reconnect after the third-to-last event, to this node and to each other one: exactly the last three again, as sent.
      int n = seen.size();
      for (int node = 0; node < 3; node++) {
        try (SseClient again = new SseClient(cluster.node(node).httpPort, seen.get(n - 4).id())) {
          assertEquals(200, again.status, again.errorBody);
          for (int i = n - 3; i < n; i++) {
            SseClient.Event replayed = again.next("replay of event " + seen.get(i).id() + " by node " + node);
            assertEquals(seen.get(i), replayed, "replayed by node " + node + " as node " + viewer + " sent it");
          }
          assertNothingMore(cluster, again, "node " + node + " after the replay");
        }
      }
      assertClientsBounded(cluster, viewer);
      // Reconnect after the rollout's first event, which the buffer no longer has: told first, then the buffer.
      long first = seq(seen.get(0));
      long last = seq(seen.get(n - 1));
      long oldest = last - REPLAY_BUFFER + 1;
      assertTrue(oldest > first + 1, "the rollout has more events than the buffer keeps: " + n);
      try (SseClient late = new SseClient(port, seen.get(0).id())) {
        assertEquals(200, late.status, late.errorBody);
        SseClient.Event missed = late.next("the missed event");
        assertEquals("missed", missed.type(), missed.toString());
        assertEquals(null, missed.id(), "a missed event has no id: the client's last id stays");
        assertEquals(oldest - 1 - first, missed.data().path("missed").asLong(), missed.toString());
        assertTrue(missed.data().path("reason").asText().contains("molt.events.replay-buffer"), missed.toString());
        for (int i = n - REPLAY_BUFFER; i < n; i++) {
          assertEquals(seen.get(i), late.next("replay of event " + seen.get(i).id()));
        }
      }
      try (SseClient bad = new SseClient(port, "12abc")) {
        assertEquals(400, bad.status, bad.errorBody);
        assertTrue(bad.errorBody.contains("\"bad header\"") && bad.errorBody.contains("Last-Event-ID")
            && bad.errorBody.contains("12abc"), bad.errorBody);
      }
      assertMetricsMoved(cluster, before, viewer, oldest - 1 - first);
    }
  }

  /** A replay ends with the events kept: what follows can only be a keep-alive (sent every second here). */
  private static void assertNothingMore(LocalCluster cluster, SseClient client, String where) {
    int keepAlives = client.keepAlives();
    cluster.await("two keep-alives on " + where, () -> client.keepAlives() >= keepAlives + 2);
    SseClient.Event more = client.poll();
    assertEquals(null, more, "no event but the replayed ones: " + where);
  }

  /** With MAX_CLIENTS connected to a node, the next one is refused with 503 and counted; a freed place is taken again. */
  private static void assertClientsBounded(LocalCluster cluster, int node) throws Exception {
    int port = cluster.node(node).httpPort;
    double refusedBefore = PromText.value(metrics(cluster, node), "molt_events_refused_total");
    cluster.await("the replays' clients gone", () -> PromText.value(metrics(cluster, node), "molt_event_clients") == 0);
    List<SseClient> connected = new ArrayList<>();
    try {
      for (int c = 0; c < MAX_CLIENTS; c++) {
        connected.add(new SseClient(port, null));
        assertEquals(200, connected.get(c).status, connected.get(c).errorBody);
      }
      cluster.await(MAX_CLIENTS + " clients counted", () -> PromText.value(metrics(cluster, node), "molt_event_clients") == MAX_CLIENTS);
      try (SseClient refused = new SseClient(port, null)) {
        assertEquals(503, refused.status, refused.errorBody);
        assertEquals("{\"error\":\"too many event clients\",\"detail\":\"this node serves at most " + MAX_CLIENTS
            + " clients of /molt/events (molt.events.max-clients) and has as many: connect to another node, or later\"}",
            refused.errorBody);
      }
      assertEquals(refusedBefore + 1, PromText.value(metrics(cluster, node), "molt_events_refused_total"), "the refusal counted");
      connected.remove(0).close();
      cluster.await("a client gone", () -> PromText.value(metrics(cluster, node), "molt_event_clients") == MAX_CLIENTS - 1);
      try (SseClient again = new SseClient(port, null)) {
        assertEquals(200, again.status, again.errorBody);
      }
    } finally {
      connected.forEach(SseClient::close);
    }
    cluster.await("every client gone", () -> PromText.value(metrics(cluster, node), "molt_event_clients") == 0);
  }

  private static long seq(SseClient.Event e) {
    return Long.parseLong(e.id().substring(e.id().indexOf('-') + 1));
  }

  private static void assertRolloutInOrder(List<SseClient.Event> seen, String id, List<String> batchOrder) {
    long previous = seq(seen.get(0)) - 1;
    String incarnation = seen.get(0).id().substring(0, seen.get(0).id().indexOf('-'));
    List<String> steps = new ArrayList<>();
    for (SseClient.Event e : seen) {
      assertEquals(incarnation + "-" + (previous + 1), e.id(), "ids go up by one: " + seen);
      previous = seq(e);
      assertEquals(e.id(), e.data().path("eventId").asText(), "the data carries the id");
      assertEquals(previous, e.data().path("id").asLong(), "and its number, as the first version did");
      assertEquals(e.type(), e.data().path("type").asText());
      assertEquals(id, e.data().path("rollout").asText(), e.toString());
      switch (e.type()) {
        case "batch-started" -> steps.add("batch " + e.data().path("batch").asInt() + "/" + e.data().path("of").asInt()
            + " " + e.data().path("nodes").get(0).asText());
        case "install-finished" -> {
          steps.add("installed " + e.data().path("node").asText());
          assertEquals("installed", e.data().path("status").asText(), e.toString());
          assertEquals("1.0.0", e.data().path("from").asText());
          assertEquals("2.0.0", e.data().path("to").asText());
          assertTrue(e.data().path("actors").asInt() > 0, e.toString());
          assertTrue(e.data().has("tookMillis") && e.data().has("pauseMaxMicros"), e.toString());
        }
        case "phase" -> steps.add("phase " + e.data().path("phase").asText());
        default -> steps.add(e.type() + (e.data().has("phase") ? " " + e.data().path("phase").asText() : ""));
      }
    }
    List<String> expected = new ArrayList<>(List.of("started"));
    expected.add(steps.get(1)); // the first phase: distributing, or rolling when every node held the bundle
    if (steps.get(1).equals("phase distributing")) {
      expected.add("phase rolling");
    }
    for (int b = 0; b < batchOrder.size(); b++) {
      expected.add("batch " + (b + 1) + "/3 " + batchOrder.get(b));
      expected.add("installed " + batchOrder.get(b));
    }
    expected.add("finished completed");
    assertEquals(expected, steps, "the rollout's steps in order");
    assertEquals("2.0.0", seen.get(0).data().path("target").asText().replace("counter-", ""));
  }

  private static void assertMetricsMoved(LocalCluster cluster, List<Map<String, Double>> before, int viewer, long missed) {
    JsonNode view = cluster.get(0, "/molt/cluster");
    for (int n = 0; n < 3; n++) {
      Map<String, Double> after = metrics(cluster, n);
      Map<String, Double> was = before.get(n);
      String installed = "molt_installs_total{outcome=\"installed\"}";
      assertEquals(PromText.value(was, installed) + 1, PromText.value(after, installed), "node " + n + " installed once");
      String durations = "molt_install_duration_seconds_count{outcome=\"installed\"}";
      assertEquals(PromText.value(was, durations) + 1, PromText.value(after, durations), "node " + n);
      double actors = PromText.sum(after, "molt_actors");
      String name = cluster.node(n).name();
      JsonNode member = null;
      for (JsonNode m : view.path("members")) {
        member = m.path("node").asText().equals(name) ? m : member;
      }
      assertEquals(member.path("actors").asDouble(), actors, "actors by behaviour add up to the node's actors: " + member);
      assertTrue(PromText.value(after, "molt_actor_pause_seconds_count") > PromText.value(was, "molt_actor_pause_seconds_count"),
          "the install's per-actor pauses observed on node " + n);
      assertEquals(1.0, PromText.value(after, "molt_releases{status=\"permanent\"}"), "node " + n + ": 2.0.0 permanent");
      assertEquals(2.0, PromText.sum(after, "molt_releases"), "node " + n + ": two releases stored");
      assertEquals(0.0, PromText.value(after, "molt_failed_migrations_total"));
      assertEquals(0.0, PromText.value(after, "molt_stash_overflows_total"));
      assertTrue(after.containsKey("molt_rejected_messages_total"));
      String completed = "molt_rollouts_total{phase=\"completed\"}";
      assertEquals(PromText.value(was, completed) + 1, PromText.value(after, completed), "node " + n + " heard it completed");
    }
    assertEquals(missed, PromText.value(metrics(cluster, viewer), "molt_events_missed_total"), "the missed events counted");
  }

  private static Map<String, Double> metrics(LocalCluster cluster, int node) {
    var response = cluster.getResponse(node, "/molt/metrics");
    assertEquals(200, response.status(), response.toString());
    return PromText.parse(response.text());
  }

  /** A node whose log does not say the orchestrator singleton started on it. */
  private static int nodeWithoutTheSingleton(LocalCluster cluster) {
    for (int n = 0; n < 3; n++) {
      if (cluster.node(n).countLog("orchestrator started on") == 0) {
        return n;
      }
    }
    throw new AssertionError("every node started the orchestrator");
  }
}
