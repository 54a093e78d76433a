package dev.molt.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code moltctl plan VERSION}: {@code POST /molt/plan}, each node's compiled script; changes nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "Show what a rollout to VERSION would run on each node (its compiled relup script); changes nothing.")
final class PlanCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "VERSION", description = "a version (2.0.0) or a release id (game-2.0.0)")
  String target;

  @Option(names = "--application", paramLabel = "NAME", description = "the application, when several hold VERSION")
  String application;

  static ObjectNode target(String target, String application) {
    ObjectNode body = object().put("target", target);
    if (application != null) {
      body.put("application", application);
    }
    return body;
  }

  @Override
  Exit run() {
    JsonNode plan = api().post(connection().resolve("/molt/plan"), "application/json",
        HttpRequest.BodyPublishers.ofString(target(target, application).toString())).require(200, "plan refused");
    plan.path("plans").fields().forEachRemaining(node -> {
      out().println("== " + node.getKey());
      out().println(node.getValue().asText().stripTrailing());
    });
    plan.path("errors").fields().forEachRemaining(node -> out().println("== " + node.getKey() + ": ERROR " + node.getValue().asText()));
    return plan.path("errors").isEmpty() ? Exit.OK : Exit.ERROR;
  }
}
