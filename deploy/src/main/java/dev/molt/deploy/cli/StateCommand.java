package dev.molt.deploy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code moltctl state SUP/KEY}: OTP's {@code sys:get_state}, {@code GET /molt/actors/{sup}/{key}/state}. */
@Command(name = "state", mixinStandardHelpOptions = true,
    description = "Read an actor's state (release, behaviour version, state, carried fields), as pretty JSON.")
final class StateCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ACTOR",
      description = "SUPERVISOR/KEY (a child of a supervisor on the node asked) or ENTITY-TYPE/ID (any node)")
  String actor;

  @Override
  Exit run() throws JsonProcessingException {
    int slash = actor.indexOf('/');
    if (slash <= 0 || slash == actor.length() - 1 || actor.indexOf('/', slash + 1) >= 0) {
      throw new CliFailure(Exit.USAGE, "ACTOR '" + actor + "' must be SUPERVISOR/KEY or ENTITY-TYPE/ID, e.g. room/r1");
    }
    String path = "/molt/actors/" + encode(actor.substring(0, slash)) + "/" + encode(actor.substring(slash + 1)) + "/state";
    var state = api().get(connection().resolve(path)).require(200, "cannot read the state of " + actor);
    out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));
    return Exit.OK;
  }

  private static String encode(String segment) {
    return java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }
}
