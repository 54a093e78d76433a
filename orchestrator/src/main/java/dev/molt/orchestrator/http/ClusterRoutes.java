package dev.molt.orchestrator.http;

import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.ClusterView;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Fingerprints;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.GetCluster;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.GetFingerprints;
import java.util.Map;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** {@code GET /molt/cluster}: what every node runs, as the orchestrator sees it. */
final class ClusterRoutes extends AllDirectives {
  private final MoltRoutes.Singleton orchestrator;
  private final ObjectMapper json;
  private final Problems problems;

  ClusterRoutes(MoltRoutes.Singleton orchestrator, ObjectMapper json, Problems problems) {
    this.orchestrator = orchestrator;
    this.json = json;
    this.problems = problems;
  }

  Route routes() {
    return path("cluster", () -> get(() -> completeWithFuture(fingerprints().thenCompose(fingerprints ->
        view(orchestrator, problems, view -> {
      ObjectNode body = json.createObjectNode();
      body.put("credentials", fingerprints.cluster());
      var members = body.putArray("members");
      for (NodeStatus node : view.nodes()) {
        ObjectNode member = members.addObject()
            .put("node", node.node())
            .put("running", node.running() == null ? null : node.running().toString())
            .put("permanent", node.permanent() == null ? null : node.permanent().toString())
            .put("installing", node.installing())
            .put("actors", node.actors())
            .put("ready", node.ready())
            .put("degraded", node.stuckThreads() > 0)
            .put("stuckThreads", node.stuckThreads())
            // The prefix of its users' fingerprint as it last reported it; null before it did.
            .put("credentials", fingerprints.nodes().get(node.node()));
        // null: an agent of an older protocol version did not report it.
        member.set("licence", node.licence() == null ? null : json.createObjectNode()
            .put("keySet", node.licence().keySet())
            .put("stopsAt", node.licence().stopsAt() == null ? null : node.licence().stopsAt().toString()));
        // null as well for an agent of status version 3 or older; a stopped or failed one says why.
        member.set("applications", node.applications() == null ? null : json.valueToTree(node.applications()));
      }
      body.set("unreachable", json.valueToTree(view.unreachable()));
      return problems.response(StatusCodes.OK, body);
    })))));
  }

  /** Each node's credentials fingerprint prefix as the singleton knows it; none when it does not answer. */
  private CompletionStage<Fingerprints> fingerprints() {
    return orchestrator.askQuick(GetFingerprints::new)
        .thenApply(reply -> reply instanceof Fingerprints f ? f : new Fingerprints(null, Map.of()))
        .exceptionally(t -> new Fingerprints(null, Map.of()));
  }

  /** The cluster view as {@code render} shows it, or the orchestrator's problem, or 503. {@code /molt/releases} reads it too. */
  static CompletionStage<HttpResponse> view(MoltRoutes.Singleton orchestrator, Problems problems,
      Function<ClusterView, HttpResponse> render) {
    return orchestrator.askNodes(GetCluster::new)
        .thenApply(reply -> reply instanceof ClusterView view ? render.apply(view) : problems.reply(reply, StatusCodes.OK))
        .exceptionally(problems::unavailable);
  }
}
