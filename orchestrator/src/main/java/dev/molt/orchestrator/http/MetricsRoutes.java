package dev.molt.orchestrator.http;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import dev.molt.node.agent.AgentCommand;
import dev.molt.node.agent.AgentReply;
import dev.molt.node.cluster.LocalNode;
import dev.molt.node.metrics.NodeMetrics;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.orchestrator.auth.Credentials;
import dev.molt.orchestrator.events.RolloutEvents;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /molt/metrics}: this node's metrics in Prometheus text format (version 0.0.4): its
 * own ({@link NodeMetrics}: installs, pauses, counters, releases and actors, the last two as the
 * node agent describes the node at the scrape) and the rollouts it heard of ({@link RolloutEvents}).
 * Each node answers for itself; scrape every node. Open like the other read routes.
 */
final class MetricsRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(MetricsRoutes.class);
  private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();
  private static final ContentType CONTENT_TYPE = ContentTypes.parse(TEXT.getContentType());

  private final ActorSystem<?> system;
  private final Problems problems;
  private final Duration agentTimeout;

  MetricsRoutes(ActorSystem<?> system, Problems problems) {
    this.system = system;
    this.problems = problems;
    this.agentTimeout = system.settings().config().getDuration("molt.metrics.agent-timeout");
  }

  Route routes() {
    return path("metrics", () -> get(() -> completeWithFuture(scrape())));
  }

  private CompletionStage<HttpResponse> scrape() {
    CompletionStage<LocalNode.Refs> refs = LocalNode.get(system).refs().toCompletableFuture().orTimeout(
        agentTimeout.toMillis(), TimeUnit.MILLISECONDS);
    return refs.thenCompose(r -> ask(r, AgentCommand.DescribeNode::new)
            .thenCombine(ask(r, AgentCommand.GetTree::new), this::render))
        .exceptionally(failure -> {
          log.warn("metrics: the node agent did not describe the node within {} (molt.metrics.agent-timeout): {}",
              agentTimeout, Problems.cause(failure).toString());
          return problems.of(StatusCodes.SERVICE_UNAVAILABLE, "node agent unavailable",
              "the node agent did not describe the node within " + agentTimeout.toMillis()
                  + " ms (molt.metrics.agent-timeout); try again");
        });
  }

  private CompletionStage<AgentReply> ask(LocalNode.Refs refs, Function<ActorRef<AgentReply>, AgentCommand> command) {
    return AskPattern.ask(refs.agent(), command::apply, agentTimeout, system.scheduler());
  }

  private HttpResponse render(AgentReply info, AgentReply tree) {
    if (!(info instanceof AgentReply.NodeInfo node) || !(tree instanceof AgentReply.Tree t)) {
      throw new IllegalStateException("the node agent answered " + info + " and " + tree);
    }
    Map<String, Long> releases = node.releases().stream()
        .collect(Collectors.groupingBy(r -> r.status().json(), TreeMap::new, Collectors.counting()));
    Map<String, Long> actors = t.tree().hosts().stream()
        .collect(Collectors.groupingBy(ApplicationTree.Host::behaviour, TreeMap::new, Collectors.counting()));
    List<MetricSnapshot> all = new ArrayList<>();
    NodeMetrics.get(system).scrape(releases, actors).forEach(all::add);
    RolloutEvents.get(system).registry().scrape().forEach(all::add);
    Credentials.get(system).registry().scrape().forEach(all::add);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      TEXT.write(out, new MetricSnapshots(all));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HttpResponse.create().withStatus(StatusCodes.OK).withEntity(HttpEntities.create(CONTENT_TYPE, out.toByteArray()));
  }
}
