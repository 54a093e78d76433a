package dev.molt.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code moltctl releases}: {@code GET /molt/releases}, one line per release with each node's status of it. */
@Command(name = "releases", mixinStandardHelpOptions = true,
    description = "List the releases known in the cluster, with each node's status (unpacked, current, permanent, old).")
final class ReleasesCommand extends ApiCommand {
  @Override
  Exit run() {
    JsonNode releases = api().get(connection().resolve("/molt/releases")).require(200, "cannot list releases").path("releases");
    if (releases.isEmpty()) {
      out().println("no releases yet (moltctl upload BUNDLE)");
    }
    for (JsonNode release : releases) {
      StringBuilder line = new StringBuilder(String.format("%-24s sha256=%.12s", RolloutView.release(release),
          release.path("sha256").asText()));
      release.path("nodes").fields().forEachRemaining(node ->
          line.append("  ").append(node.getKey()).append('=').append(node.getValue().asText()));
      out().println(line);
    }
    return Exit.OK;
  }
}
