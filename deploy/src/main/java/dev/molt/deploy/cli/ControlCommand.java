package dev.molt.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.orchestrator.rollout.ControlAction;
import picocli.CommandLine.Parameters;

/**
 * A control of a rollout ({@code POST /molt/rollouts/{id}/{action}}, the newest rollout unless an
 * id is given), sent with an Idempotency-Key so a 503 is retried safely. The server refuses (409)
 * an action that does not fit the rollout's phase, naming the phase.
 */
abstract class ControlCommand extends ApiCommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "the rollout's id (default: the newest)")
  String id;

  /** The action; its wire name is the last segment of the API's path. */
  abstract ControlAction action();

  /** The rollout given, else the newest one, looked up once. */
  String rollout() {
    if (id == null) {
      id = RolloutFollower.latest(api(), connection());
    }
    return id;
  }

  @Override
  Exit run() throws Exception {
    String rollout = rollout();
    JsonNode now = control(rollout);
    out().println("rollout " + rollout + ": " + action() + " accepted; phase " + now.path("phase").asText());
    return Exit.OK;
  }

  JsonNode control(String rollout) throws InterruptedException {
    return api().command(connection().resolve("/molt/rollouts/" + rollout + "/" + action()), "")
        .require(200, action() + " of rollout " + rollout + " refused");
  }
}
