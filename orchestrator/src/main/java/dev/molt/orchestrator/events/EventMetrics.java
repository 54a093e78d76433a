package dev.molt.orchestrator.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;

/**
 * What this node saw of rollouts and of its event clients, for {@code GET /molt/metrics}. Every
 * node counts the rollout events it receives, so any node answers for the cluster's rollouts
 * (those since it started; the singleton's node is not special).
 */
final class EventMetrics {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter phases = Counter.builder().name("molt_rollouts_total")
      .help("Rollouts that entered each phase (distributing, rolling, paused, rolling-back, completed, rolled-back, "
          + "failed, aborted), as this node heard from the orchestrator since it started")
      .labelNames("phase").register(registry);
  private final Counter missed = Counter.builder().name("molt_events_missed_total")
      .help("Rollout events a reconnecting SSE client asked for that were no longer in the replay buffer "
          + "(molt.events.replay-buffer); each such client was told so first")
      .register(registry);
  private final Counter dropped = Counter.builder().name("molt_event_streams_dropped_total")
      .help("SSE clients disconnected because they fell more than molt.events.client-buffer events behind")
      .register(registry);
  private final Counter refused = Counter.builder().name("molt_events_refused_total")
      .help("SSE clients refused with 503 because molt.events.max-clients were connected to this node")
      .register(registry);
  private final Gauge clients = Gauge.builder().name("molt_event_clients")
      .help("SSE clients connected to this node's /molt/events").register(registry);

  PrometheusRegistry registry() {
    return registry;
  }

  void received(RolloutEvent event) {
    if (event.type() == RolloutEvent.Type.PHASE || event.type() == RolloutEvent.Type.FINISHED) {
      try {
        JsonNode phase = JSON.readTree(event.data()).get("phase");
        phases.labelValues(phase == null ? "unknown" : phase.asText()).inc();
      } catch (IOException e) {
        phases.labelValues("unknown").inc();
      }
    }
  }

  void missed(long count) {
    missed.inc(count);
  }

  void refused() {
    refused.inc();
  }

  void dropped() {
    dropped.inc();
  }

  void clients(int count) {
    clients.set(count);
  }
}
