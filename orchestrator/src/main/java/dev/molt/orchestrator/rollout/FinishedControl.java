package dev.molt.orchestrator.rollout;

import dev.molt.orchestrator.rollout.OrchestratorProtocol.Problem;
import java.util.Optional;

/**
 * Controls of a rollout that has no runner (it ended): only {@code rollback} applies, to the
 * latest rollout, when it completed or failed and no other rollout runs.
 */
final class FinishedControl {
  private FinishedControl() {}

  /** Why {@code action} does not apply to the finished {@code rollout}; empty when a rollback may start. */
  static Optional<Problem> refusal(Rollout rollout, ControlAction action, Rollout latest, Optional<Rollout> active) {
    RolloutPhase phase = rollout.phase();
    if (action != ControlAction.ROLLBACK || phase == RolloutPhase.ROLLED_BACK || phase == RolloutPhase.ABORTED) {
      return Optional.of(RunState.conflict(rollout, action));
    }
    if (!latest.id().equals(rollout.id())) {
      return Optional.of(new Problem(409, "not the latest rollout", "only the latest rollout (" + latest.id()
          + ") can be rolled back; roll out the release you want instead"));
    }
    if (active.isPresent()) {
      return Optional.of(new Problem(409, "rollout running", "rollout " + active.get().id() + " is running"));
    }
    return Optional.empty();
  }
}
