package dev.molt.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.molt.orchestrator.events.RolloutEvent.Type;
import dev.molt.protocol.WireName;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

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
    return type(event).filter(t -> t == Type.MISSED).isPresent() || id.equals(data(event).path("rollout").asText());
  }

  static String of(SseEvent event) {
    JsonNode d = data(event);
    Optional<Type> type = type(event);
    String text = type.isEmpty() ? event.type() + " " + event.data() : switch (type.get()) {
      case STARTED -> "started -> " + d.path("target").asText() + ", " + d.path("nodes").asInt() + " node(s) in "
          + d.path("batches").asInt() + " batch(es), " + d.path("mode").asText() + (d.path("canary").asBoolean() ? ", canary" : "");
      case BATCH_STARTED -> "batch " + d.path("batch").asInt() + "/" + d.path("of").asInt() + " started: "
          + String.join(" ", JSON.convertValue(d.path("nodes"), String[].class));
      case INSTALL_FINISHED -> node(d, "install");
      case ROLLBACK_FINISHED -> node(d, "rollback");
      case PHASE -> "phase " + d.path("phase").asText() + (d.has("from") ? " (from " + d.path("from").asText() + ")" : "")
          + ", batch " + d.path("batch").asInt() + "/" + d.path("of").asInt() + reason(d, "reason");
      case FINISHED -> "finished " + d.path("phase").asText() + " in " + RolloutView.millis(d.path("tookMillis").asLong())
          + reason(d, "error");
      case MISSED -> (d.path("missed").isNull() ? "events may have been missed" : d.path("missed").asLong() + " event(s) missed")
          + ": " + d.path("reason").asText() + "; the view is read again";
    };
    return "last event" + (event.id() == null ? "" : " " + event.id()) + ": " + text;
  }

  /** The event's type, parsed once; empty for a type this moltctl does not know (a newer server's), shown as sent. */
  private static Optional<Type> type(SseEvent event) {
    return WireName.parse(Type.class, event.type());
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
