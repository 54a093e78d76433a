package dev.molt.deploy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every moltctl command has: the connection from the root's options, the client, its output. */
abstract class ApiCommand implements Callable<Integer> {
  static final ObjectMapper JSON = new ObjectMapper();
  /** How long a command that follows something waits unless --timeout says otherwise. */
  static final String DEFAULT_TIMEOUT = "30m";

  @ParentCommand MoltCtl root;
  @Spec CommandSpec spec;
  private Connection connection;
  private ApiClient api;

  @Override
  public final Integer call() throws Exception {
    connection = root.connection();
    api = connection.client();
    return run().code;
  }

  abstract Exit run() throws Exception;

  Connection connection() {
    return connection;
  }

  ApiClient api() {
    return api;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  Screen screen(boolean live) {
    return new Screen(out(), live && root.terminal());
  }

  RolloutFollower follower(boolean live) {
    return new RolloutFollower(api, connection, screen(live));
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

}
