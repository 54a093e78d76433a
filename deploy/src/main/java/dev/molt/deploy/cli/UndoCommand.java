package dev.molt.deploy.cli;

import dev.molt.orchestrator.rollout.ControlAction;
import picocli.CommandLine.Command;

/**
 * {@code moltctl undo [ID]}: {@code POST /molt/rollouts/{id}/rollback}. The API rolls back only the
 * newest rollout, running or ended (completed or failed), while no other runs: each node it
 * upgraded goes back to its previous release, last upgraded first, made permanent again.
 */
@Command(name = "undo", mixinStandardHelpOptions = true,
    description = {"Roll back the newest rollout: every node it upgraded returns to its previous release.",
        "Works on a running, completed or failed rollout while no other runs; follow it with 'moltctl status --watch'."})
final class UndoCommand extends ControlCommand {
  @Override
  ControlAction action() {
    return ControlAction.ROLLBACK;
  }
}
