package dev.molt.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Locale;

/**
 * A rollout event of {@code GET /molt/events} as one line under the live view (the step that
 * changed it, as the orchestrator's log line says it), and whether it concerns the rollout
 * followed. Pure.
 */
final class EventLine {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EventLine() {}

  /** Whether the view of rollout {@code id} must be read again: one of its events, or a notice of missed events. */
  static boolean concerns(SseEvent event, String id) {
    return event.type().equals("missed") || id.equals(data(event).path("rollout").asText());
  }

  static String of(SseEvent event) {
    JsonNode d = data(event);
    String text = switch (event.type()) {
      case "started" -> "started -> " + d.path("target").asText() + ", " + d.path("nodes").asInt() + " node(s) in "
          + d.path("batches").asInt() + " batch(es), " + d.path("mode").asText() + (d.path("canary").asBoolean() ? ", canary" : "");
      case "batch-started" -> "batch " + d.path("batch").asInt() + "/" + d.path("of").asInt() + " started: "
          + String.join(" ", JSON.convertValue(d.path("nodes"), String[].class));
      case "install-finished", "rollback-finished" -> node(d, event.type().startsWith("install") ? "install" : "rollback");
      case "phase" -> "phase " + d.path("phase").asText() + (d.has("from") ? " (from " + d.path("from").asText() + ")" : "")
          + ", batch " + d.path("batch").asInt() + "/" + d.path("of").asInt() + reason(d, "reason");
      case "finished" -> "finished " + d.path("phase").asText() + " in " + RolloutView.millis(d.path("tookMillis").asLong())
          + reason(d, "error");
      case "missed" -> (d.path("missed").isNull() ? "events may have been missed" : d.path("missed").asLong() + " event(s) missed")
          + ": " + d.path("reason").asText() + "; the view is read again";
      default -> event.type() + " " + event.data();
    };
    return "last event" + (event.id() == null ? "" : " " + event.id()) + ": " + text;
  }

  private static String node(JsonNode d, String action) {
    return action + " " + d.path("status").asText() + " on " + d.path("node").asText() + ": " + d.path("from").asText("none")
        + " -> " + d.path("to").asText("none") + " took=" + RolloutView.millis(d.path("tookMillis").asLong())
        + " actors=" + d.path("actors").asInt()
        + String.format(Locale.ROOT, " pause.max=%.1fms", d.path("pauseMaxMicros").asLong() / 1000.0) + reason(d, "error");
  }

  private static String reason(JsonNode d, String field) {
    return d.hasNonNull(field) ? ": " + d.path(field).asText() : "";
  }

  private static JsonNode data(SseEvent event) {
    try {
      return JSON.readTree(event.data());
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }
}
