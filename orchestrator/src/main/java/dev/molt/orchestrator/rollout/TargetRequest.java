package dev.molt.orchestrator.rollout;

import dev.molt.protocol.MoltSerializable;
import dev.molt.protocol.release.ReleaseId;
import java.util.List;

/**
 * A rollout or plan target as the client named it: a release id ({@code "game-2.0.0"}) or a
 * version ({@code "2.0.0"}), and optionally the application. The orchestrator resolves it once,
 * against the statuses it gathers from the nodes ({@link RolloutStart#resolve}).
 */
public record TargetRequest(String target, String application) implements MoltSerializable {

  /** A release named by its id, as the orchestrator's own callers (and tests) know it. */
  public static TargetRequest of(ReleaseId release) {
    return new TargetRequest(release == null ? null : release.toString(), null);
  }

  /** What keeps it from being resolved at all; empty when it can be. */
  List<String> problems() {
    return target == null || target.isBlank() ? List.of("target is required") : List.of();
  }
}
