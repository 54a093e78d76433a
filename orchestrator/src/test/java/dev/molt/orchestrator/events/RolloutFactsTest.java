package dev.molt.orchestrator.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.molt.orchestrator.rollout.NodeOutcome;
import dev.molt.orchestrator.rollout.NodeOutcome.Action;
import dev.molt.orchestrator.rollout.NodeOutcome.Status;
import dev.molt.orchestrator.rollout.Rollout;
import dev.molt.orchestrator.rollout.RolloutPhase;
import dev.molt.orchestrator.rollout.RolloutSpec;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.release.ReleaseId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The facts read off a rollout's changes, for the paths the cluster test does not walk: a canary
 * that pauses and is promoted, a failed install that rolls back.
 */
class RolloutFactsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ReleaseId V1 = new ReleaseId("counter", "1.0.0");
  private static final ReleaseId V2 = new ReleaseId("counter", "2.0.0");

  @Test
  void canaryPausesThenPromoteResumesWithTheNextBatch() throws Exception {
    Rollout start = rollout(true);
    Rollout installedA = start.withNode(installed("a"));
    Rollout paused = installedA.withBatch(1).withPhase(RolloutPhase.PAUSED);
    Rollout promoted = paused.withPhase(RolloutPhase.ROLLING);
    Rollout done = promoted.withNode(installed("b")).withBatch(2).withPhase(RolloutPhase.COMPLETED);

    List<String> facts = new ArrayList<>();
    facts.addAll(describe(RolloutFacts.between(null, start, 1)));
    facts.addAll(describe(RolloutFacts.between(start, installedA, 2)));
    facts.addAll(describe(RolloutFacts.between(installedA, paused, 3)));
    facts.addAll(describe(RolloutFacts.between(paused, paused.withRequest("k", null), 4)));
    facts.addAll(describe(RolloutFacts.between(paused, promoted, 5)));
    facts.addAll(describe(RolloutFacts.between(promoted, done, 6)));
    assertEquals(List.of("started", "phase rolling", "batch-started 1/2 [\"a\"]", "install-finished a installed",
        "phase paused from rolling", "phase rolling from paused", "batch-started 2/2 [\"b\"]",
        "install-finished b installed", "finished completed"), facts);
  }

  @Test
  void aFailedInstallRollsBackNodeByNode() throws Exception {
    Rollout running = rollout(false).withNode(installed("a")).withBatch(1);
    Rollout failed = running.withNode(new NodeOutcome("b", Action.INSTALL, Status.FAILED, V1, V2, 0, 0, 0, 0, "boom"))
        .withError("install on b failed: boom").withPhase(RolloutPhase.ROLLING_BACK);
    Rollout back = failed.withNode(installed("a").rolledBack(Status.ROLLED_BACK)).withPhase(RolloutPhase.ROLLED_BACK);

    List<RolloutEvent> events = new ArrayList<>(RolloutFacts.between(running, failed, 1));
    events.addAll(RolloutFacts.between(failed, back, 2));
    assertEquals(List.of("install-finished b failed", "phase rolling-back from rolling", "rollback-finished a rolled-back",
        "finished rolled-back"), describe(events));
    JsonNode rollingBack = JSON.readTree(events.get(1).data());
    assertEquals("install on b failed: boom", rollingBack.path("reason").asText());
    assertEquals("boom", JSON.readTree(events.get(0).data()).path("error").asText());
  }

  private static Rollout rollout(boolean canary) {
    RolloutSpec spec = new RolloutSpec(V2, "1", canary, 0, InstallMode.BARRIER, true);
    return new Rollout("r-1", spec, RolloutPhase.ROLLING, List.of(List.of("a"), List.of("b")), 0,
        Map.of("a", V1, "b", V1), Map.of(), null, 0, 0, Map.of());
  }

  private static NodeOutcome installed(String node) {
    return new NodeOutcome(node, Action.INSTALL, Status.INSTALLED, V1, V2, 100, 5, 40, 30, null);
  }

  private static List<String> describe(List<RolloutEvent> events) throws Exception {
    List<String> out = new ArrayList<>();
    for (RolloutEvent e : events) {
      JsonNode d = JSON.readTree(e.data());
      assertEquals(e.type().json(), d.path("type").asText());
      out.add(switch (e.type()) {
        case PHASE -> "phase " + d.path("phase").asText() + (d.has("from") ? " from " + d.path("from").asText() : "");
        case BATCH_STARTED -> "batch-started " + d.path("batch").asInt() + "/" + d.path("of").asInt() + " " + d.path("nodes");
        case INSTALL_FINISHED, ROLLBACK_FINISHED -> e.type().json() + " " + d.path("node").asText() + " " + d.path("status").asText();
        case FINISHED -> "finished " + d.path("phase").asText();
        default -> e.type().json();
      });
    }
    return out;
  }
}
