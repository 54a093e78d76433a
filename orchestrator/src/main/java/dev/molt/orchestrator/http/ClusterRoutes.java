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
        ObjectNode member = members.addObject()
            .put("node", node.node())
            .put("current", node.running() == null ? null : node.running().toString())
            .put("permanent", node.permanent() == null ? null : node.permanent().toString())
            .put("installing", node.installing())
            .put("actors", node.actors())
            .put("ready", node.ready())
            .put("degraded", node.stuckThreads() > 0)
            .put("stuckThreads", node.stuckThreads());
        // null: an agent of an older protocol version did not report it.
        member.set("licence", node.licence() == null ? null : json.createObjectNode()
            .put("keySet", node.licence().keySet())
            .put("stopsAt", node.licence().stopsAt() == null ? null : node.licence().stopsAt().toString()));
      }
      body.set("unreachable", json.valueToTree(view.unreachable()));
      return problems.response(StatusCodes.OK, body);
    }))));
  }
}
