package dev.molt.orchestrator.http;

import static dev.molt.orchestrator.http.StandInOrchestrator.ARCADE_1;
import static dev.molt.orchestrator.http.StandInOrchestrator.GAME_1;
import static dev.molt.orchestrator.http.StandInOrchestrator.GAME_2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.molt.orchestrator.http.StandInRoutes.Reply;
import dev.molt.orchestrator.rollout.RolloutSpec;
import dev.molt.protocol.control.InstallMode;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /molt/rollouts} and {@code /molt/plan} through Akka HTTP's route test kit, no server
 * bound: every field bounded at the edge with its name, and the target resolved by the orchestrator
 * (a stand-in using its {@link dev.molt.orchestrator.rollout.RolloutStart#resolve}), its refusals answered as
 * 400s that name the candidates.
 */
class RolloutRoutesTest {
  @RegisterExtension
  static final StandInRoutes routes = new StandInRoutes("rollout-routes");
  /** What reached the stand-ins: rollout specs and plan targets. */
  private static final LinkedBlockingQueue<Object> received = routes.received;

  @Test
  void everyRolloutFieldIsBoundedAtTheEdge() throws Exception {
    assertProblem(post("/molt/rollouts", "{\"target\":\"game-1.0.0\",\"batchSize\":1,\"pauseBetweenBatches\":\"30000000s\"}"),
        400, "bad field", "field 'pauseBetweenBatches' must be milliseconds or a duration like");
    assertProblem(post("/molt/rollouts", "{\"target\":\"game-1.0.0\",\"pauseBetweenBatches\":\"30000000s\"}"),
        400, "bad field", "from 0 to PT24H (molt.orchestrator.max-pause-between-batches), was \"30000000s\"");
    assertProblem(post("/molt/rollouts", "{\"target\":\"game-1.0.0\",\"pauseBetweenBatches\":\"99999999999999999h\"}"),
        400, "bad field", "pauseBetweenBatches");
    assertProblem(post("/molt/rollouts", "{\"target\":\"game-1.0.0\",\"pauseBetweenBatches\":-1}"), 400, "bad field", "pauseBetweenBatches");
    assertProblem(post("/molt/rollouts", "{\"target\":\"game-1.0.0\",\"pauseBetweenBatches\":1.5}"), 400, "bad field", "pauseBetweenBatches");
    for (String batch : List.of("0", "10001", "\"101%\"", "\"0%\"", "\"abc\"", "1.5", "true", "99999999999")) {
      assertProblem(post("/molt/rollouts", "{\"target\":\"game-1.0.0\",\"batchSize\":" + batch + "}"), 400, "bad field",
          "field 'batchSize' must be a count 1..10000 or a percentage 1%..100%, was " + batch);
    }
    assertProblem(post("/molt/rollouts", "{\"target\":\"game-1.0.0\",\"mode\":\"fast\"}"), 400, "bad field",
        "field 'mode' must be barrier or pipelined, was \"fast\"");
    assertProblem(post("/molt/rollouts", "{\"target\":\"game-1.0.0\",\"canary\":\"yes\"}"), 400, "bad field",
        "field 'canary' must be true or false");
    assertProblem(post("/molt/rollouts", "{\"target\":\"game-1.0.0\",\"autoRollback\":1}"), 400, "bad field",
        "field 'autoRollback' must be true or false");
    assertProblem(post("/molt/rollouts", "{\"target\":\"game-1.0.0\",\"gates\":{}}"), 400, "bad field", "unknown field 'gates'");
    assertProblem(post("/molt/rollouts", "{\"target\":5}"), 400, "bad field", "field 'target' must be a release id");
    assertProblem(post("/molt/rollouts", "{\"target\":\"" + "x".repeat(300) + "\"}"), 400, "bad field", "at most 200 characters");
    assertProblem(post("/molt/rollouts", "{\"target\":\"1.0.0\",\"application\":\"Not A Name\"}"), 400, "bad field", "'application'");
    assertNull(received.poll(), "no refused spec reached the orchestrator");

    Reply accepted = post("/molt/rollouts",
        "{\"target\":\"game-2.0.0\",\"batchSize\":\"34%\",\"pauseBetweenBatches\":\"30s\",\"mode\":\"pipelined\",\"canary\":true}");
    assertEquals(202, accepted.status(), accepted.toString());
    RolloutSpec spec = (RolloutSpec) received.poll(5, TimeUnit.SECONDS);
    assertEquals(new RolloutSpec(GAME_2, "34%", true, 30_000, InstallMode.PIPELINED, true), spec);
  }

  @Test
  void aBareVersionTwoApplicationsHoldIsRefusedWithTheCandidates() throws Exception {
    Reply ambiguous = post("/molt/rollouts", "{\"target\":\"1.0.0\"}");
    assertProblem(ambiguous, 400, "ambiguous target", "version 1.0.0 is held by several applications: [arcade-1.0.0, game-1.0.0]");
    assertProblem(post("/molt/plan", "{\"target\":\"1.0.0\"}"), 400, "ambiguous target", "[arcade-1.0.0, game-1.0.0]");
    assertProblem(post("/molt/rollouts", "{\"target\":\"arcade-1.0.0\",\"application\":\"game\"}"), 400, "bad field",
        "is a release of 'arcade', not of application 'game'");
    assertProblem(post("/molt/rollouts", "{\"target\":\"9.9.9\"}"), 400, "unknown target", "upload it first");
    assertNull(received.poll(), "nothing was started or planned");

    assertEquals(202, post("/molt/rollouts", "{\"target\":\"1.0.0\",\"application\":\"game\"}").status());
    assertEquals(GAME_1, ((RolloutSpec) received.poll(5, TimeUnit.SECONDS)).target());
    assertEquals(202, post("/molt/rollouts", "{\"target\":\"arcade-1.0.0\"}").status());
    assertEquals(ARCADE_1, ((RolloutSpec) received.poll(5, TimeUnit.SECONDS)).target());
    assertEquals(202, post("/molt/rollouts", "{\"target\":\"2.0.0\"}").status(), "one application holds 2.0.0");
    assertEquals(GAME_2, ((RolloutSpec) received.poll(5, TimeUnit.SECONDS)).target());
    Reply plan = post("/molt/plan", "{\"target\":\"1.0.0\",\"application\":\"arcade\"}");
    assertEquals(200, plan.status(), plan.toString());
    assertEquals(ARCADE_1, received.poll(5, TimeUnit.SECONDS));
  }

  private static Reply post(String path, String body) throws Exception {
    return routes.post(path, body);
  }

  private static void assertProblem(Reply reply, int status, String error, String detailPart) {
    assertEquals(status, reply.status(), reply.toString());
    assertEquals(error, reply.body().path("error").asText(), reply.toString());
    assertTrue(reply.body().path("detail").asText().contains(detailPart), reply.toString());
    assertFalse(reply.text().contains("\tat "), "no stack trace");
  }
}
