package dev.molt.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code moltctl history}: every rollout the orchestrator keeps, oldest first, one line each. */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = "List the rollouts, oldest first: id, target, how it ended, when it started, how long it took, its error.")
final class HistoryCommand extends ApiCommand {
  @Override
  Exit run() {
    List<JsonNode> rollouts = new ArrayList<>();
    RolloutFollower.rollouts(api(), connection()).forEach(rollouts::add);
    rollouts.sort(Comparator.comparingLong(r -> r.path("startedAtMillis").asLong()));
    if (rollouts.isEmpty()) {
      out().println("no rollouts yet");
    }
    for (JsonNode r : rollouts) {
      long finished = r.path("finishedAtMillis").asLong();
      out().printf("%-12s %-20s %-12s started=%s%s nodes=%d%s%n", r.path("id").asText(), RolloutView.release(r.path("spec").path("target")),
          r.path("phase").asText(), Instant.ofEpochMilli(r.path("startedAtMillis").asLong()),
          finished > 0 ? " took=" + RolloutView.millis(finished - r.path("startedAtMillis").asLong()) : "",
          r.path("nodes").size(), r.hasNonNull("error") ? " error: " + r.path("error").asText() : "");
    }
    return Exit.OK;
  }
}
