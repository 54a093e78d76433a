package dev.molt.deploy.cli;

import picocli.CommandLine.Command;

/** {@code moltctl resume [ID]}: {@code POST /molt/rollouts/{id}/resume}. */
@Command(name = "resume", mixinStandardHelpOptions = true, description = "Continue a paused rollout.")
final class ResumeCommand extends ControlCommand {
  @Override
  String action() {
    return "resume";
  }
}
