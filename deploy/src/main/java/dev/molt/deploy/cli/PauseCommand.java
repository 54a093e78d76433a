package dev.molt.deploy.cli;

import dev.molt.orchestrator.rollout.ControlAction;
import picocli.CommandLine.Command;

/** {@code moltctl pause [ID]}: {@code POST /molt/rollouts/{id}/pause}. */
@Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause the rollout after its running batch; 'moltctl resume' continues it.")
final class PauseCommand extends ControlCommand {
  @Override
  ControlAction action() {
    return ControlAction.PAUSE;
  }
}
