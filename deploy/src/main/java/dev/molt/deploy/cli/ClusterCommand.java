package dev.molt.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code moltctl cluster}: {@code GET /molt/cluster}, one line per member. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "List the cluster's members: running and permanent release, actors, ready, installing, degraded, Akka licence stop.")
final class ClusterCommand extends ApiCommand {
  @Override
  Exit run() {
    JsonNode cluster = api().get(connection().resolve("/molt/cluster")).require(200, "cannot read the cluster");
    for (JsonNode m : cluster.path("members")) {
      JsonNode licence = m.path("licence");
      out().printf("%-22s running=%-16s permanent=%-16s actors=%-6d %s%s%s%s%n", m.path("node").asText(),
          m.path("running").asText("none"), m.path("permanent").asText("none"), m.path("actors").asInt(),
          m.path("ready").asBoolean() ? "ready" : "NOT READY", m.path("installing").asBoolean() ? " installing" : "",
          m.path("degraded").asBoolean() ? " DEGRADED stuckThreads=" + m.path("stuckThreads").asInt() : "",
          licence.hasNonNull("stopsAt") ? " akka-stops-at=" + licence.path("stopsAt").asText() : "");
    }
    if (!cluster.path("unreachable").isEmpty()) {
      out().println("unreachable: " + cluster.path("unreachable"));
    }
    return Exit.OK;
  }
}
