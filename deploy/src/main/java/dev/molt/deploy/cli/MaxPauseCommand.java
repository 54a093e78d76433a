package dev.molt.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code moltctl max-pause}: the longest pause of one actor in any node of any rollout, in ms (for scripts). */
@Command(name = "max-pause", mixinStandardHelpOptions = true,
    description = "Print the longest per-node actor pause of all rollouts, in milliseconds.")
final class MaxPauseCommand extends ApiCommand {
  @Override
  Exit run() {
    long max = 0;
    for (JsonNode rollout : RolloutFollower.rollouts(api(), connection())) {
      for (JsonNode node : rollout.path("nodes")) {
        max = Math.max(max, node.path("pauseMaxMicros").asLong());
      }
    }
    out().printf("%.1f%n", max / 1000.0);
    return Exit.OK;
  }
}
