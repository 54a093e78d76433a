package dev.molt.orchestrator.rollout;

import dev.molt.node.cluster.ClusterRelease;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.release.ReleaseId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which release reconciliation brings lagging nodes onto. A release that a strict majority of the
 * nodes runs as permanent is the cluster's; without one (a 3-node cluster after two nodes were
 * replaced, half the nodes rolled back by hand) the newest release a rollout completed, recorded
 * in Distributed Data, that some node still holds so it can be sent. Otherwise nothing: a human
 * decides with a rollout.
 */
final class ReconcileChoice {
  private ReconcileChoice() {}

  /** The chosen release and why it was chosen, for the log. */
  record Choice(ReleaseId release, String why) {}

  static Optional<Choice> choose(Collection<NodeStatus> statuses, ClusterRelease.History history) {
    Map<ReleaseId, Integer> votes = new HashMap<>();
    for (NodeStatus st : statuses) {
      if (st.permanent() != null && st.permanent().equals(st.running())) {
        votes.merge(st.permanent(), 1, Integer::sum);
      }
    }
    for (var vote : votes.entrySet()) {
      if (vote.getValue() * 2 > statuses.size()) {
        return Optional.of(new Choice(vote.getKey(), "permanent on " + vote.getValue() + " of " + statuses.size() + " nodes"));
      }
    }
    List<ClusterRelease.Completed> newestFirst = new ArrayList<>(history.completed());
    java.util.Collections.reverse(newestFirst);
    for (ClusterRelease.Completed completed : newestFirst) {
      boolean held = statuses.stream().anyMatch(st -> st.releases().stream().anyMatch(r -> r.release().equals(completed.release())));
      if (held) {
        return Optional.of(new Choice(completed.release(), "no majority (" + votes + " of " + statuses.size()
            + " nodes); newest release a rollout completed (" + completed.rollout() + ")"));
      }
    }
    return Optional.empty();
  }
}
