package dev.molt.orchestrator.rollout;

import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.release.ReleaseId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The health gate after a batch: each node of the batch answered, runs the target, is ready, and
 * its failed-migration and stash-overflow counters did not rise since the rollout started.
 */
final class HealthGate {
  private HealthGate() {}

  /** Every problem found, empty when the batch passes. */
  static List<String> problems(List<String> batch, ReleaseId target, Gather.Gathered<NodeStatus> statuses,
      Map<String, NodeStatus> baseline) {
    List<String> problems = new ArrayList<>();
    statuses.missing().forEach(n -> problems.add(n + " did not report its status"));
    batch.forEach(n -> {
      if (!statuses.answers().containsKey(n) && !statuses.missing().contains(n)) {
        // Agents of unreachable nodes stay known: only a node membership removed is asked nothing.
        problems.add(n + " was removed from the cluster (cluster membership)");
      }
    });
    statuses.answers().forEach((node, st) -> {
      NodeStatus before = baseline.get(node);
      if (!target.equals(st.running())) {
        problems.add(node + " runs " + st.running() + ", not " + target);
      }
      if (!st.ready()) {
        problems.add(node + " is not ready");
      }
      if (before != null && st.failedMigrations() > before.failedMigrations()) {
        problems.add(node + " failed migrations rose " + before.failedMigrations() + " -> " + st.failedMigrations());
      }
      if (before != null && st.stashOverflows() > before.stashOverflows()) {
        problems.add(node + " stash overflows rose " + before.stashOverflows() + " -> " + st.stashOverflows());
      }
    });
    return problems;
  }
}
