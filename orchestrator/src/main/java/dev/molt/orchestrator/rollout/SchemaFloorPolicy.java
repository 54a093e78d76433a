package dev.molt.orchestrator.rollout;

import dev.molt.protocol.release.ReleaseId;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The cluster-wide write schema floor a rollout asks for: while its nodes may run different
 * releases, every node writes what the oldest of them reads; once one release is permanent
 * everywhere (completed, or rolled back), the floor is lifted. A failed or aborted rollout leaves
 * the cluster mixed, so the floor stays until someone decides.
 */
final class SchemaFloorPolicy {

  sealed interface Decision {}

  /** Nothing to say yet: no plan, so the releases the nodes run are not known. */
  record Keep() implements Decision {}

  record Set(ReleaseId floor) implements Decision {}

  record Lift(String application) implements Decision {}

  private SchemaFloorPolicy() {}

  static Decision of(Rollout rollout) {
    ReleaseId target = rollout.target();
    if (rollout.phase() == RolloutPhase.COMPLETED || rollout.phase() == RolloutPhase.ROLLED_BACK) {
      return new Lift(target.name());
    }
    if (rollout.previous().isEmpty()) {
      return new Keep();
    }
    ReleaseId oldest = Stream.concat(rollout.previous().values().stream(), Stream.of(target))
        .filter(Objects::nonNull)
        .filter(r -> r.name().equals(target.name()))
        .min(Comparator.naturalOrder())
        .orElse(target);
    return new Set(oldest);
  }
}
