package dev.molt.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code moltctl installs}: one line per node of each rollout, for scripts (the demo prints it). */
@Command(name = "installs", mixinStandardHelpOptions = true,
    description = "One line per node of each rollout: from->to, step, status, install time, actors, longest pause.")
final class InstallsCommand extends ApiCommand {
  @Override
  Exit run() {
    for (JsonNode rollout : RolloutFollower.rollouts(api(), connection())) {
      for (JsonNode node : rollout.path("nodes")) {
        out().printf("%s->%s node=%s %s %s took=%dms actors=%d max-pause=%.1fms%n", RolloutView.release(node.path("from")),
            RolloutView.release(node.path("to")), node.path("node").asText(), node.path("step").asText(),
            node.path("status").asText(), node.path("tookMillis").asLong(), node.path("actors").asInt(),
            node.path("pauseMaxMicros").asLong() / 1000.0);
      }
    }
    return Exit.OK;
  }
}
