package dev.molt.node.metrics;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import dev.molt.node.release.NodeCounters;
import dev.molt.node.release.ReleaseRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Map;

/**
 * This node's Prometheus metrics ({@code molt_*}), in a registry of its own (not the client's
 * default one, which a release's libraries could also write to). Counters the node keeps anyway
 * ({@link NodeCounters}) are read when scraped; installs and pauses are recorded as they end;
 * the release and actor gauges are set from the node agent's answer at each scrape ({@link #scrape}). Served by the orchestrator module's {@code GET /molt/metrics}.
 */
public final class NodeMetrics implements Extension {
  public static final ExtensionId<NodeMetrics> ID =
      new ExtensionId<>() {
        @Override
        public NodeMetrics createExtension(ActorSystem<?> system) {
          return new NodeMetrics(ReleaseRegistry.get(system).counters());
        }
      };

  /** How an install on this node ended: the {@code outcome} label. */
  public enum InstallOutcome {
    INSTALLED, FAILED;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Pauses run from microseconds (a small block) to seconds (a barrier over many actors). */
  private static final double[] PAUSE_BOUNDS =
      {0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5};
  /** Installs take from milliseconds to minutes (molt.agent.install-timeout is 30 min). */
  private static final double[] INSTALL_BOUNDS = {0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 1800};
  private static final double NANOS = 1e9;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter installs;
  private final Histogram installSeconds;
  private final Histogram actorPauseSeconds;
  private final Gauge releases;
  private final Gauge actors;

  NodeMetrics(NodeCounters counters) {
    installs = Counter.builder().name("molt_installs_total")
        .help("Installs (upgrades and downgrades) this node ran, by outcome").labelNames("outcome").register(registry);
    installSeconds = Histogram.builder().name("molt_install_duration_seconds")
        .help("How long this node's installs took, by outcome").labelNames("outcome")
        .classicOnly().classicUpperBounds(INSTALL_BOUNDS).register(registry);
    actorPauseSeconds = Histogram.builder().name("molt_actor_pause_seconds")
        .help("Per-actor pause of each successful install: suspended time: the whole window (barrier) or its block's (pipelined)")
        .classicOnly().classicUpperBounds(PAUSE_BOUNDS).register(registry);
    releases = Gauge.builder().name("molt_releases")
        .help("Releases in this node's store, by status (unpacked, current, permanent, old)")
        .labelNames("status").register(registry);
    actors = Gauge.builder().name("molt_actors")
        .help("Live upgradable actors on this node (tree children and entities), by behaviour")
        .labelNames("behaviour").register(registry);
    CounterWithCallback.builder().name("molt_failed_migrations_total")
        .help("State migrations that failed on this node").callback(c -> c.call(counters.failedMigrations()))
        .register(registry);
    CounterWithCallback.builder().name("molt_stash_overflows_total")
        .help("Messages refused because a suspended actor's stash was full (molt.host.stash-capacity)")
        .callback(c -> c.call(counters.stashOverflows())).register(registry);
    CounterWithCallback.builder().name("molt_rejected_messages_total")
        .help("Messages this node's hosts refused for any reason, stash overflows included")
        .callback(c -> c.call(counters.rejectedMessages())).register(registry);
  }

  public static NodeMetrics get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** The registry to scrape; other modules register their own metrics in it ({@code molt_rollouts_total}). */
  public PrometheusRegistry registry() {
    return registry;
  }

  public void installEnded(InstallOutcome outcome, long tookNanos) {
    installs.labelValues(outcome.label()).inc();
    installSeconds.labelValues(outcome.label()).observe(tookNanos / NANOS);
  }

  /** The per-actor pauses of one install, in nanoseconds. */
  public void actorPauses(long[] pauseNanos) {
    for (long pause : pauseNanos) {
      actorPauseSeconds.observe(pause / NANOS);
    }
  }

  /**
   * Every metric, with the gauges as the node agent describes the node now: release count per
   * status, actor count per behaviour. A status or behaviour that is gone is dropped, not left at
   * its last value; two scrapes at once do not see each other's half-set gauges.
   */
  public synchronized MetricSnapshots scrape(Map<String, Long> releasesByStatus, Map<String, Long> actorsByBehaviour) {
    releases.clear();
    releasesByStatus.forEach((status, count) -> releases.labelValues(status).set(count));
    actors.clear();
    actorsByBehaviour.forEach((behaviour, count) -> actors.labelValues(behaviour).set(count));
    return registry.scrape();
  }
}
