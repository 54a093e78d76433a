package dev.molt.deploy.cli;

import dev.molt.orchestrator.rollout.ControlAction;
import picocli.CommandLine.Command;

/** {@code moltctl resume [ID]}: {@code POST /molt/rollouts/{id}/resume}. */
@Command(name = "resume", mixinStandardHelpOptions = true, description = "Continue a paused rollout.")
final class ResumeCommand extends ControlCommand {
  @Override
  ControlAction action() {
    return ControlAction.RESUME;
  }
}
