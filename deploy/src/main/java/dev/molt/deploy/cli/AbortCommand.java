package dev.molt.deploy.cli;

import dev.molt.orchestrator.rollout.ControlAction;
import picocli.CommandLine.Command;

/** {@code moltctl abort [ID]}: {@code POST /molt/rollouts/{id}/abort}. */
@Command(name = "abort", mixinStandardHelpOptions = true, description = "Stop the rollout where it is (nodes stay on the release they run; no rollback).")
final class AbortCommand extends ControlCommand {
  @Override
  ControlAction action() {
    return ControlAction.ABORT;
  }
}
