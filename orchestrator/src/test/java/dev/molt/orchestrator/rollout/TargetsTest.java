package dev.molt.orchestrator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.control.ControlMessages.ReleaseEntry;
import dev.molt.protocol.control.ReleaseStatus;
import dev.molt.protocol.release.ReleaseId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The orchestrator's one resolution of a client's target against the releases the nodes report. */
class TargetsTest {
  private static final ReleaseId GAME_1 = new ReleaseId("game", "1.0.0");
  private static final ReleaseId GAME_2 = new ReleaseId("game", "2.0.0");
  private static final ReleaseId ARCADE_1 = new ReleaseId("arcade", "1.0.0");
  /** Two nodes: what either holds counts. */
  private static final List<NodeStatus> NODES = List.of(node("n1", GAME_1, ARCADE_1), node("n2", GAME_1, GAME_2));

  @Test
  void aReleaseIdOrAVersionOneApplicationHoldsResolves() throws Exception {
    assertEquals(ARCADE_1, RolloutStart.resolve(new TargetRequest("arcade-1.0.0", null), NODES));
    assertEquals(GAME_2, RolloutStart.resolve(new TargetRequest("2.0.0", null), NODES), "only game holds 2.0.0");
    assertEquals(GAME_1, RolloutStart.resolve(new TargetRequest("1.0.0", "game"), NODES));
    assertEquals(GAME_2, RolloutStart.resolve(new TargetRequest("game-2.0.0", "game"), NODES));
    assertEquals(GAME_2, RolloutStart.resolve(TargetRequest.of(GAME_2), NODES));
  }

  @Test
  void aBareVersionSeveralApplicationsHoldIsAmbiguousWithTheCandidates() {
    var problem = assertThrows(RolloutStart.Unresolved.class, () -> RolloutStart.resolve(new TargetRequest("1.0.0", null), NODES)).problem();
    assertEquals(400, problem.status());
    assertEquals("ambiguous target", problem.error());
    assertTrue(problem.detail().startsWith("version 1.0.0 is held by several applications: [arcade-1.0.0, game-1.0.0]"),
        problem.detail());
    assertTrue(problem.detail().contains("{\"target\": \"1.0.0\", \"application\": \"arcade\"}"), problem.detail());
  }

  @Test
  void whatNoNodeHoldsIsUnknownAndNamesWhatWasAsked() {
    var version = assertThrows(RolloutStart.Unresolved.class, () -> RolloutStart.resolve(new TargetRequest("9.9.9", null), NODES)).problem();
    assertEquals(new OrchestratorProtocol.Problem(400, "unknown target",
        "no node holds a release '9.9.9'; upload it first (POST /molt/releases)"), version);
    var ofApplication = assertThrows(RolloutStart.Unresolved.class,
        () -> RolloutStart.resolve(new TargetRequest("2.0.0", "arcade"), NODES)).problem();
    assertEquals("no node holds a release '2.0.0' of application 'arcade'; upload it first (POST /molt/releases)",
        ofApplication.detail());
    var notAnId = assertThrows(RolloutStart.Unresolved.class, () -> RolloutStart.resolve(new TargetRequest("game-9", null), NODES)).problem();
    assertEquals("unknown target", notAnId.error());
    assertTrue(notAnId.detail().contains("a target is a release id such as \"game-2.0.0\""), notAnId.detail());
    var none = assertThrows(RolloutStart.Unresolved.class, () -> RolloutStart.resolve(new TargetRequest("game-1.0.0", null), List.of()));
    assertEquals("unknown target", none.problem().error(), "no statuses: nothing is held");
  }

  @Test
  void aReleaseIdOfAnotherApplicationIsRefused() {
    var problem = assertThrows(RolloutStart.Unresolved.class,
        () -> RolloutStart.resolve(new TargetRequest("arcade-1.0.0", "game"), NODES)).problem();
    assertEquals(new OrchestratorProtocol.Problem(400, "bad field",
        "target 'arcade-1.0.0' is a release of 'arcade', not of application 'game'"), problem);
  }

  private static NodeStatus node(String name, ReleaseId running, ReleaseId other) {
    return new NodeStatus(name, running, running, List.of(new ReleaseEntry(running, ReleaseStatus.PERMANENT, "a"),
        new ReleaseEntry(other, ReleaseStatus.UNPACKED, "b")), false, 0, 0, 0, 0, true, 0, null);
  }
}
