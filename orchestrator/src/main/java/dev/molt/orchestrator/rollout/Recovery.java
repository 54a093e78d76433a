package dev.molt.orchestrator.rollout;

import dev.molt.protocol.control.ControlMessages.NodeStatus;
import java.util.Map;

/**
 * How a new (or restarted) orchestrator picks up a running rollout from what it read in
 * Distributed Data and what the nodes say now.
 */
final class Recovery {
  private Recovery() {}

  /** The node installed the target in this rollout (recorded as such). */
  static boolean installed(Rollout rollout, String node) {
    NodeOutcome o = rollout.nodes().get(node);
    return o != null && o.status() == NodeOutcome.Status.INSTALLED && rollout.target().equals(o.to());
  }

  /** Nodes the old singleton upgraded without saving it are recorded, so a rollback includes them. */
  static Rollout withUnsavedInstalls(Rollout rollout, Map<String, NodeStatus> statuses) {
    Rollout known = rollout;
    for (var e : statuses.entrySet()) {
      boolean onTarget = known.target().equals(e.getValue().running());
      boolean wasElsewhere = !known.target().equals(known.previous().get(e.getKey()));
      if (onTarget && wasElsewhere && !installed(known, e.getKey())) {
        known = known.withNode(new NodeOutcome(e.getKey(), NodeOutcome.Action.INSTALL, NodeOutcome.Status.INSTALLED, known.previous().get(e.getKey()),
            known.target(), 0, 0, 0, 0, null));
      }
    }
    return known;
  }

  /**
   * The first batch with a node not yet on the target. A node that does not answer (the old
   * singleton's, killed) but was recorded installed counts as done: it must not be reported as
   * "lost before its batch", which named an already-upgraded node as the reason of a rollback.
   */
  static int firstBatchToRun(Rollout rollout, Map<String, NodeStatus> statuses) {
    for (int i = 0; i < rollout.batches().size(); i++) {
      boolean done = rollout.batches().get(i).stream().allMatch(n -> {
        NodeStatus st = statuses.get(n);
        return st != null ? rollout.target().equals(st.running()) : installed(rollout, n);
      });
      if (!done) {
        return i;
      }
    }
    return rollout.batches().size();
  }
}
