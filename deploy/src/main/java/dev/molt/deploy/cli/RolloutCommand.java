package dev.molt.deploy.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code moltctl rollout VERSION}: {@code POST /molt/rollouts} (with an Idempotency-Key, so a 503
 * while the orchestrator moves is retried safely); with {@code --wait}, the live view until it ends.
 * The values go to the server as given: it checks each against its bound and names the field.
 */
@Command(name = "rollout", mixinStandardHelpOptions = true,
    description = "Start a rollout of VERSION across the cluster; with --wait follow it (exit code by how it ended).")
final class RolloutCommand extends ApiCommand {
  /** The install modes the nodes know; picocli refuses others as a usage error. */
  enum Mode { barrier, pipelined }

  @Parameters(index = "0", paramLabel = "VERSION", description = "a version (2.0.0) or a release id (game-2.0.0)")
  String target;

  @Option(names = "--application", paramLabel = "NAME", description = "the application, when several hold VERSION")
  String application;

  @Option(names = "--batch", paramLabel = "N|P%", description = "nodes per batch: a count, or a percentage such as 34% (default 1)")
  String batch;

  @Option(names = "--canary", description = "pause after the first batch until 'moltctl promote'")
  boolean canary;

  @Option(names = "--pause-between", paramLabel = "D", description = "wait between batches: 500ms, 30s, 5m, 1h")
  String pauseBetween;

  @Option(names = "--mode", paramLabel = "MODE", description = "barrier (default) or pipelined")
  Mode mode;

  @Option(names = "--no-auto-rollback", description = "on a failure stop for a human instead of rolling back")
  boolean noAutoRollback;

  @Option(names = "--wait", description = "follow the rollout until it ends (live view on a terminal, a line per change when piped)")
  boolean await;

  @Option(names = "--timeout", paramLabel = "D", defaultValue = DEFAULT_TIMEOUT, converter = DurationConverter.class,
      description = "with --wait: give up following after D (exit 6; the rollout goes on); default ${DEFAULT-VALUE}")
  Duration timeout;

  @Override
  Exit run() throws InterruptedException {
    ObjectNode spec = PlanCommand.target(target, application);
    if (batch != null) {
      spec.put("batchSize", batch);
    }
    if (canary) {
      spec.put("canary", true);
    }
    if (pauseBetween != null) {
      spec.put("pauseBetweenBatches", pauseBetween);
    }
    if (mode != null) {
      spec.put("mode", mode.name());
    }
    if (noAutoRollback) {
      spec.put("autoRollback", false);
    }
    String id = api().command(connection().resolve("/molt/rollouts"), spec.toString())
        .require(202, "rollout refused").path("id").asText();
    out().println("rollout " + id + " started: " + spec);
    out().flush();
    return await ? follower(true).follow(id, timeout, true) : Exit.OK;
  }
}
