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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** {@code GET /molt/cluster}: what every node runs, as the orchestrator sees it; credential fingerprints for signed-in callers only. */
final class ClusterRoutes extends AllDirectives {
  private final MoltRoutes.Singleton orchestrator;
  private final ObjectMapper json;
  private final Problems problems;
  private final Access access;

  ClusterRoutes(MoltRoutes.Singleton orchestrator, ObjectMapper json, Problems problems, Access access) {
    this.orchestrator = orchestrator;
    this.json = json;
    this.problems = problems;
    this.access = access;
  }

  Route routes() {
    // Fingerprints only to a signed-in caller: of a known set of users (the env admin's salt is
    // derived from its name) the fingerprint is a function of the password, an offline guessing oracle.
    return path("cluster", () -> get(() -> access.signedIn(signedIn -> completeWithFuture((signedIn ? fingerprints()
        : CompletableFuture.completedFuture(new Fingerprints(null, Map.of()))).thenCompose(fingerprints ->
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
            // The prefix of its users' fingerprint as it last reported it; null before it did, or not signed in.
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
    }))))));
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
