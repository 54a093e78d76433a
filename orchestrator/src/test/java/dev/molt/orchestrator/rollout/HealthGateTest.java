package dev.molt.orchestrator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.release.ReleaseId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The health gate after a batch, as the pure function it is: statuses in, problems out. */
class HealthGateTest {
  static final ReleaseId V1 = new ReleaseId("counter", "1.0.0");
  static final ReleaseId V2 = new ReleaseId("counter", "2.0.0");

  static NodeStatus node(String name, ReleaseId running, boolean ready, long stashOverflows, long failedMigrations) {
    return new NodeStatus(name, running, V1, List.of(), false, 3, 0, stashOverflows, failedMigrations, ready, 0, null);
  }

  static Gather.Gathered<NodeStatus> answers(NodeStatus... statuses) {
    Map<String, NodeStatus> byNode = new java.util.LinkedHashMap<>();
    for (NodeStatus s : statuses) {
      byNode.put(s.node(), s);
    }
    return new Gather.Gathered<>(byNode, List.of());
  }

  @Test
  void aBatchOnTheTargetReadyAndWithoutRisingCountersPasses() {
    var baseline = Map.of("a", node("a", V1, true, 2, 1));
    assertEquals(List.of(), HealthGate.problems(List.of("a"), V2, answers(node("a", V2, true, 2, 1)), baseline));
  }

  @Test
  void everyProblemOfEveryNodeIsNamed() {
    var baseline = Map.of("a", node("a", V1, true, 0, 0), "b", node("b", V1, true, 4, 1));
    var statuses = answers(node("a", V1, false, 0, 0), node("b", V2, true, 5, 3));
    assertEquals(List.of(
            "a runs " + V1 + ", not " + V2,
            "a is not ready",
            "b failed migrations rose 1 -> 3",
            "b stash overflows rose 4 -> 5"),
        HealthGate.problems(List.of("a", "b"), V2, statuses, baseline));
  }

  @Test
  void aNodeThatDidNotAnswerAndANodeMembershipRemovedFailTheGate() {
    var statuses = new Gather.Gathered<NodeStatus>(Map.of(), List.of("a"));
    assertEquals(List.of("a did not report its status", "b was removed from the cluster (cluster membership)"),
        HealthGate.problems(List.of("a", "b"), V2, statuses, Map.of()));
  }

  @Test
  void withoutABaselineOnlyReleaseAndReadinessCount() {
    assertEquals(List.of(), HealthGate.problems(List.of("a"), V2, answers(node("a", V2, true, 9, 9)), Map.of()));
  }
}
