package dev.molt.orchestrator.http;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.protocol.control.ControlMessages.NodeStatus;

/** {@code GET /molt/cluster}: what every node runs, as the orchestrator sees it. */
final class ClusterRoutes extends AllDirectives {
  private final OrchestratorAsks orchestrator;
  private final ObjectMapper json;
  private final Problems problems;

  ClusterRoutes(OrchestratorAsks orchestrator, ObjectMapper json, Problems problems) {
    this.orchestrator = orchestrator;
    this.json = json;
    this.problems = problems;
  }

  Route routes() {
    return path("cluster", () -> get(() -> completeWithFuture(orchestrator.cluster(view -> {
      ObjectNode body = json.createObjectNode();
      var members = body.putArray("members");
      for (NodeStatus node : view.nodes()) {
        members.addObject()
            .put("node", node.node())
            .put("current", node.running() == null ? null : node.running().toString())
            .put("permanent", node.permanent() == null ? null : node.permanent().toString())
            .put("installing", node.installing())
            .put("actors", node.actors())
            .put("ready", node.ready());
      }
      body.set("unreachable", json.valueToTree(view.unreachable()));
      return problems.response(StatusCodes.OK, body);
    }))));
  }
}
