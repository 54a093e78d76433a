package dev.molt.orchestrator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.molt.protocol.control.ControlMessages.InstallResult;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.release.ReleaseId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The step bookkeeping membership acts on, and what a rollback covers: no actor system. */
class MembershipStepsTest {
  static final ReleaseId V1 = new ReleaseId("counter", "1.0.0");
  static final ReleaseId V2 = new ReleaseId("counter", "2.0.0");

  static InstallResult ok(String node) {
    return new InstallResult(node, V2, true, null, null, null, false, 5, 1, 10, 10);
  }

  @Test
  void aNodeFailedByMembershipEndsTheBatchOnlyWhenTheOthersAnswered() {
    BatchSteps steps = new BatchSteps(0, Set.of("a", "b"));
    assertTrue(steps.pending("a"));
    String why = MembershipEvent.goneReason("a", "downed", "install");
    assertTrue(steps.failed("a", BatchSteps.Lost.MEMBERSHIP, why));
    assertFalse(steps.done(), "b is still installing: no rollback may start before it answered");
    assertTrue(steps.answered("b", ok("b")));
    assertTrue(steps.done());
    assertEquals(Map.of("a", why), steps.failures());
    assertEquals(Set.of("b"), steps.answers().keySet());
  }

  @Test
  void aLateAnswerFromAFailedNodeIsIgnored() {
    BatchSteps steps = new BatchSteps(0, Set.of("a"));
    steps.failed("a", BatchSteps.Lost.MEMBERSHIP, MembershipEvent.unreachableReason("a", Duration.ofSeconds(30), "install"));
    assertFalse(steps.answered("a", ok("a")), "one outcome per node");
    assertFalse(steps.failed("a", BatchSteps.Lost.NO_ANSWER, "again"));
    assertTrue(steps.answers().isEmpty());
  }

  @Test
  void reasonsNameClusterMembershipAndTheSetting() {
    assertEquals("node a was downed (cluster membership) during its install", MembershipEvent.goneReason("a", "downed", "install"));
    assertEquals("node a stayed unreachable (cluster membership) for more than 30 s (molt.orchestrator.unreachable-wait) "
        + "during its bundle transfer", MembershipEvent.unreachableReason("a", Duration.ofSeconds(30), "bundle transfer"));
  }

  @Test
  void aRollbackCoversInstalledNodesAndNodesWhoseOutcomeIsUnknown() {
    RolloutSpec spec = new RolloutSpec(V2, "1", false, 0, InstallMode.BARRIER, true);
    Rollout rollout = new Rollout("r-1", spec, RolloutPhase.ROLLING, List.of(List.of("a"), List.of("b"), List.of("c")), 2,
        Map.of("a", V1, "b", V1, "c", V1), Map.of(), null, 0, 0, Map.of())
        .withNode(new NodeOutcome("a", NodeOutcome.Action.INSTALL, NodeOutcome.Status.INSTALLED, V1, V2, 1, 1, 1, 1, null))
        .withNode(new NodeOutcome("b", NodeOutcome.Action.INSTALL, NodeOutcome.Status.UNKNOWN, V1, V2, 0, 0, 0, 0, "stayed unreachable"))
        .withNode(new NodeOutcome("c", NodeOutcome.Action.INSTALL, NodeOutcome.Status.FAILED, V1, V2, 0, 0, 0, 0, "migration refused (node reverted)"));
    assertEquals(List.of("a", "b"), rollout.toRollBack(), "c reverted itself; b may have installed");
    assertEquals(List.of("a"), rollout.upgraded());
  }

  @Test
  void recoveryCountsARecordedInstallOfANodeThatNoLongerAnswersAsDone() {
    RolloutSpec spec = new RolloutSpec(V2, "1", true, 0, InstallMode.BARRIER, true);
    Rollout rollout = new Rollout("r-1", spec, RolloutPhase.PAUSED, List.of(List.of("a"), List.of("b"), List.of("c")), 1,
        Map.of("a", V1, "b", V1, "c", V1), Map.of(), null, 0, 0, Map.of())
        .withNode(new NodeOutcome("a", NodeOutcome.Action.INSTALL, NodeOutcome.Status.INSTALLED, V1, V2, 1, 1, 1, 1, null));
    var statuses = Map.of("b", ReconcileChoiceTest.node("b", V1, V1, V1, V2), "c", ReconcileChoiceTest.node("c", V1, V1, V1, V2));
    // a (the old singleton's node, killed) is not asked: it must not be named as lost before its batch.
    assertEquals(1, Recovery.firstBatchToRun(rollout, statuses));
  }

  @Test
  void requestIdsAnswerTheFirstResultAndRefuseReuseForAnotherAction() {
    RolloutSpec spec = new RolloutSpec(V2, "1", true, 0, InstallMode.BARRIER, true);
    Rollout rollout = new Rollout("r-1", spec, RolloutPhase.PAUSED, List.of(List.of("a")), 1, Map.of(), Map.of(), null, 0, 0,
        Map.of())
        .withRequest("k1", new Rollout.RequestRecord(RequestedAction.START, 202, null, null))
        .withRequest("k2", new Rollout.RequestRecord(RequestedAction.PROMOTE, 200, null, null))
        .withRequest("k3", new Rollout.RequestRecord(RequestedAction.PAUSE, 409, "wrong phase", "rollout r-1 is paused"));
    assertEquals(new OrchestratorProtocol.Accepted("r-1"), RequestIds.startedBy(List.of(rollout), "k1").orElseThrow());
    assertTrue(RequestIds.startedBy(List.of(rollout), "new").isEmpty());
    assertEquals(new OrchestratorProtocol.RolloutView(rollout), RequestIds.repeat(rollout, "k2", RequestedAction.PROMOTE).orElseThrow());
    assertEquals(new OrchestratorProtocol.Problem(409, "wrong phase", "rollout r-1 is paused"),
        RequestIds.repeat(rollout, "k3", RequestedAction.PAUSE).orElseThrow());
    var reused = (OrchestratorProtocol.Problem) RequestIds.repeat(rollout, "k2", RequestedAction.ABORT).orElseThrow();
    assertEquals(422, reused.status());
    assertTrue(reused.detail().contains("was used for 'promote', not 'abort'"), reused.detail());
    assertTrue(RequestIds.repeat(rollout, null, RequestedAction.ABORT).isEmpty());
  }

  @Test
  void aRolloutKeepsABoundedNumberOfRequestIds() {
    RolloutSpec spec = new RolloutSpec(V2, "1", false, 0, InstallMode.BARRIER, true);
    Rollout rollout = new Rollout("r-1", spec, RolloutPhase.ROLLING, List.of(), 0, Map.of(), Map.of(), null, 0, 0, Map.of());
    for (int i = 0; i < Rollout.MAX_REQUESTS + 3; i++) {
      rollout = rollout.withRequest("k" + i, new Rollout.RequestRecord(RequestedAction.PAUSE, 200, null, null));
    }
    assertEquals(Rollout.MAX_REQUESTS, rollout.requests().size());
    assertFalse(rollout.requests().containsKey("k0"), "the oldest is forgotten first");
  }
}
