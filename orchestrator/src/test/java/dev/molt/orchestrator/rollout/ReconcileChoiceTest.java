package dev.molt.orchestrator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.molt.node.cluster.ClusterRelease;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.control.ControlMessages.ReleaseEntry;
import dev.molt.protocol.control.ReleaseStatus;
import dev.molt.protocol.release.ReleaseId;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconcileChoiceTest {
  static final ReleaseId V1 = new ReleaseId("counter", "1.0.0");
  static final ReleaseId V2 = new ReleaseId("counter", "2.0.0");
  static final ReleaseId V3 = new ReleaseId("counter", "3.0.0");

  static NodeStatus node(String name, ReleaseId running, ReleaseId permanent, ReleaseId... held) {
    return new NodeStatus(name, running, permanent,
        Arrays.stream(held).map(r -> new ReleaseEntry(r, ReleaseStatus.UNPACKED, "sha")).toList(), false, 0, 0, 0, 0, true, 0, null);
  }

  static ClusterRelease.History history(ReleaseId... completed) {
    ClusterRelease.History h = new ClusterRelease.History(List.of());
    long at = 1;
    for (ReleaseId r : completed) {
      h = h.with(new ClusterRelease.Completed(r, "r-" + at, at++));
    }
    return h;
  }

  @Test
  void aMajorityPermanentReleaseWins() {
    var choice = ReconcileChoice.choose(List.of(node("a", V1, V1, V1), node("b", V1, V1, V1), node("c", null, null)),
        history(V2));
    assertEquals(V1, choice.orElseThrow().release());
    assertTrue(choice.get().why().contains("permanent on 2 of 3 nodes"), choice.get().why());
  }

  @Test
  void withoutAMajorityTheNewestCompletedReleaseANodeHoldsIsChosen() {
    // One node on v1, one on v2, one running nothing: no majority. v3 completed last but nobody holds it.
    var statuses = List.of(node("a", V1, V1, V1, V2), node("b", V2, V2, V1, V2), node("c", null, null));
    var choice = ReconcileChoice.choose(statuses, history(V1, V2, V3));
    assertEquals(V2, choice.orElseThrow().release());
    assertTrue(choice.get().why().contains("newest release a rollout completed (r-2)"), choice.get().why());
  }

  @Test
  void completionOrderNotVersionOrderDecides() {
    // A rollout back to v1 completed after the one to v2.
    var statuses = List.of(node("a", V1, V1, V1, V2), node("b", V2, V2, V1, V2));
    assertEquals(V1, ReconcileChoice.choose(statuses, history(V2, V1)).orElseThrow().release());
  }

  @Test
  void aPermanentReleaseNotRunningDoesNotVote() {
    // b's permanent is v1 but it runs v2 (a rollout not made permanent): no majority for v1.
    var statuses = List.of(node("a", V1, V1, V1, V2), node("b", V2, V1, V1, V2), node("c", null, null, V2));
    assertEquals(V2, ReconcileChoice.choose(statuses, history(V2)).orElseThrow().release());
  }

  @Test
  void nothingWithoutAMajorityOrAHistory() {
    var statuses = List.of(node("a", V1, V1, V1), node("b", V2, V2, V2), node("c", null, null));
    assertTrue(ReconcileChoice.choose(statuses, history()).isEmpty());
  }

  @Test
  void theHistoryKeepsItsNewestEntriesOnly() {
    ClusterRelease.History h = new ClusterRelease.History(List.of());
    for (int i = 0; i < ClusterRelease.KEPT + 5; i++) {
      h = h.with(new ClusterRelease.Completed(i % 2 == 0 ? V1 : V2, "r-" + i, i));
    }
    assertEquals(ClusterRelease.KEPT, h.completed().size());
    assertEquals("r-" + (ClusterRelease.KEPT + 4), h.completed().get(h.completed().size() - 1).rollout());
    assertEquals(h, ClusterRelease.History.parse(h.toJson()), "survives its JSON form");
    assertTrue(ClusterRelease.History.parse("{not json").completed().isEmpty(), "an unreadable record counts as empty");
  }
}
