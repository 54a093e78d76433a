package dev.molt.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.orchestrator.rollout.NodeOutcome;
import dev.molt.orchestrator.rollout.RolloutPhase;
import dev.molt.protocol.WireName;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A rollout as {@code GET /molt/rollouts/{id}} gives it, as lines for a person: a header (id,
 * target, phase, batch k/n, spec), a bar of the nodes done, one line per node (from -> to, step,
 * status, actors, took, longest pause, error; a node not reached yet says in which batch it is),
 * and the rollout's error. Pure: {@link Screen} decides how the lines reach the terminal.
 */
final class RolloutView {
  private static final int BAR = 20;
  /** A node in one of these is walked: it holds where this rollout (or its rollback) put it. */
  private static final Set<NodeOutcome.Status> DONE = EnumSet.of(NodeOutcome.Status.INSTALLED, NodeOutcome.Status.UNCHANGED,
      NodeOutcome.Status.ROLLED_BACK);
  /** Phases in which a batch is being installed. */
  private static final Set<RolloutPhase> IN_FLIGHT = EnumSet.of(RolloutPhase.DISTRIBUTING, RolloutPhase.ROLLING);

  private RolloutView() {}

  static List<String> lines(JsonNode rollout) {
    List<String> lines = new ArrayList<>();
    JsonNode batches = rollout.path("batches");
    JsonNode spec = rollout.path("spec");
    String phase = rollout.path("phase").asText();
    StringBuilder header = new StringBuilder("rollout ").append(rollout.path("id").asText())
        .append(" -> ").append(release(spec.path("target"))).append("  ").append(phase);
    if (batches.size() > 0) {
      // "batch" is the index of the batch in flight, or of the next one once a batch ended.
      int batch = Math.min(rollout.path("batch").asInt(), batches.size());
      // After the last batch, before its gate ends the rollout, the batch in flight is still the last one.
      header.append(RolloutPhase.parse(phase).filter(IN_FLIGHT::contains).isPresent() ? "  batch " + Math.min(batch + 1, batches.size()) + "/" + batches.size()
          : "  " + batch + "/" + batches.size() + " batches done");
    }
    header.append("  (batch size ").append(spec.path("batchSize").asText("1")).append(", ").append(spec.path("mode").asText("barrier"));
    if (spec.path("canary").asBoolean()) {
      header.append(", canary");
    }
    if (spec.path("pauseBetweenBatchesMillis").asLong() > 0) {
      header.append(", pause between ").append(millis(spec.path("pauseBetweenBatchesMillis").asLong()));
    }
    header.append(spec.path("autoRollback").asBoolean(true) ? ", auto-rollback)" : ", no auto-rollback)");
    if (rollout.path("finishedAtMillis").asLong() > 0) {
      header.append("  took ").append(millis(rollout.path("finishedAtMillis").asLong() - rollout.path("startedAtMillis").asLong()));
    }
    lines.add(header.toString());

    List<String> names = new ArrayList<>();
    batches.forEach(batch -> batch.forEach(node -> names.add(node.asText())));
    int width = names.stream().mapToInt(String::length).max().orElse(0);
    long done = names.stream().filter(n -> WireName.parse(NodeOutcome.Status.class,
        rollout.path("nodes").path(n).path("status").asText()).filter(DONE::contains).isPresent()).count();
    int filled = names.isEmpty() ? 0 : (int) (done * BAR / names.size());
    lines.add("[" + "#".repeat(filled) + "-".repeat(BAR - filled) + "] " + done + "/" + names.size() + " nodes done");
    for (int b = 0; b < batches.size(); b++) {
      for (JsonNode name : batches.get(b)) {
        lines.add(node(rollout, name.asText(), width, b + 1));
      }
    }
    if (rollout.hasNonNull("error")) {
      lines.add("error: " + rollout.path("error").asText());
    }
    return lines;
  }

  private static String node(JsonNode rollout, String name, int width, int batch) {
    StringBuilder line = new StringBuilder("  ").append(String.format(Locale.ROOT, "%-" + width + "s", name)).append("  ");
    JsonNode outcome = rollout.path("nodes").path(name);
    if (outcome.isMissingNode() || outcome.isNull()) {
      return line.append(release(rollout.path("previous").path(name))).append(" -> ")
          .append(release(rollout.path("spec").path("target"))).append("  waiting (batch ").append(batch).append(')').toString();
    }
    line.append(release(outcome.path("from"))).append(" -> ").append(release(outcome.path("to")))
        .append("  ").append(outcome.path("step").asText()).append(' ').append(outcome.path("status").asText())
        .append("  actors=").append(outcome.path("actors").asInt())
        .append(" took=").append(millis(outcome.path("tookMillis").asLong()))
        .append(" pause.max=").append(String.format(Locale.ROOT, "%.1fms", outcome.path("pauseMaxMicros").asLong() / 1000.0));
    if (outcome.hasNonNull("error")) {
      line.append("  error: ").append(outcome.path("error").asText());
    }
    return line.toString();
  }

  /** A release as the API shows it ({@code {"name", "version"}}, or a text), as name-version; "none" when absent. */
  static String release(JsonNode release) {
    if (release.isObject()) {
      return release.path("name").asText() + "-" + release.path("version").asText();
    }
    return release.isTextual() ? release.asText() : "none";
  }

  static String millis(long millis) {
    if (millis < 1000) {
      return millis + "ms";
    }
    return millis < 600_000 ? String.format(Locale.ROOT, "%.1fs", millis / 1000.0) : (millis / 60_000) + "m" + (millis / 1000 % 60) + "s";
  }
}
