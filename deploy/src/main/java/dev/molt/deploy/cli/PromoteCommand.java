package dev.molt.deploy.cli;

import dev.molt.orchestrator.rollout.ControlAction;
import dev.molt.orchestrator.rollout.RolloutPhase;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code moltctl promote [ID] [--full]}: {@code POST .../promote} continues a rollout paused after
 * its canary (or by request). The API has no "skip every pause" action, so {@code --full} is done
 * here: it follows the rollout and promotes each later pause that waits for a go (no error), until
 * the rollout ends. A pause with an error (a node lost) waits for a human and ends the command.
 * Pauses between batches ({@code --pause-between}) are timers the API cannot skip.
 */
@Command(name = "promote", mixinStandardHelpOptions = true,
    description = {"Continue a rollout paused after its canary batch (or by 'moltctl pause').",
        "--full: also promote every later pause until the rollout ends (not a pause caused by a failure)."})
final class PromoteCommand extends ControlCommand {
  @Option(names = "--full", description = "promote through every later pause and follow the rollout to its end")
  boolean full;

  @Option(names = "--timeout", paramLabel = "D", defaultValue = DEFAULT_TIMEOUT, converter = DurationConverter.class,
      description = "with --full: give up after D (exit 6); default ${DEFAULT-VALUE}")
  Duration timeout;

  @Override
  ControlAction action() {
    return ControlAction.PROMOTE;
  }

  @Override
  Exit run() throws Exception {
    Exit promoted = super.run();
    if (!full) {
      return promoted;
    }
    String rollout = rollout();
    return follower(true).follow(rollout, timeout, true, now -> {
      if (RolloutPhase.parse(now.path("phase").asText()).orElse(null) == RolloutPhase.PAUSED) {
        if (now.hasNonNull("error")) {
          throw new CliFailure(Exit.FAILED, "rollout " + rollout + " paused for a human: " + now.path("error").asText());
        }
        control(rollout);
      }
    });
  }
}
