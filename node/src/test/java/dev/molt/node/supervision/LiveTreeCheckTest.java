package dev.molt.node.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.molt.protocol.release.ChildSpec;
import dev.molt.protocol.release.DynamicChildren;
import dev.molt.protocol.release.SupervisorSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The comparison every install ends with: the live tree against the target's declaration. */
class LiveTreeCheckTest {
  private static final SupervisorSpec ROOMS = new SupervisorSpec("rooms", null, null, null, null,
      new DynamicChildren("room", null));
  private static final SupervisorSpec DECLARED = new SupervisorSpec("game", null, null, null,
      List.of(ChildSpec.supervisor(ROOMS), ChildSpec.worker("auditor", "audit", TextNode.valueOf("a"))), null);

  @Test
  void theDeclaredTreeRunningHasNoDifference() {
    assertEquals(List.of(), LiveTreeCheck.differences(DECLARED, Map.of(
        "game", describe(DECLARED, "rooms", "auditor"),
        "rooms", describe(ROOMS, "room-1", "room-2"))));
  }

  @Test
  void eachDriftIsNamed() {
    SupervisorSpec withoutAuditor = new SupervisorSpec("game", null, null, null, List.of(ChildSpec.supervisor(ROOMS)), null);
    SupervisorSpec stray = new SupervisorSpec("stray", null, null, null, null, null);

    assertEquals(List.of(
        "supervisor 'game' runs another spec than declared, which has static child 'auditor' added under supervisor 'game'",
        "static child 'auditor' of supervisor 'game' is not running",
        "supervisor 'rooms' is not running",
        "supervisor 'stray' runs but is not declared"),
        LiveTreeCheck.differences(DECLARED, Map.of("game", describe(withoutAuditor, "rooms"), "stray", describe(stray))));
  }

  private static SupervisorReply.Description describe(SupervisorSpec spec, String... running) {
    return new SupervisorReply.Description(spec.name(), spec, List.of(running));
  }
}
