package dev.molt.deploy.cli;

import picocli.CommandLine.Command;

/** {@code moltctl pause [ID]}: {@code POST /molt/rollouts/{id}/pause}. */
@Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause the rollout after its running batch; 'moltctl resume' continues it.")
final class PauseCommand extends ControlCommand {
  @Override
  String action() {
    return "pause";
  }
}
