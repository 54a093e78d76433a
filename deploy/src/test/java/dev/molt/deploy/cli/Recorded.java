package dev.molt.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/**
 * Rollouts as a 3-node cluster answered {@code GET /molt/rollouts/{id}} (recorded from
 * deploy/local/cluster.sh with the game: a canary paused after its first batch, a completed
 * pipelined rollout, the same rolled back by {@code moltctl undo}), and a way to run moltctl.
 */
final class Recorded {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Recorded() {}

  static JsonNode rollout(String name) {
    try (InputStream in = Recorded.class.getResourceAsStream("/rollouts/" + name + ".json")) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What one moltctl run printed and its exit code. */
  record Run(int exit, String out, String err) {}

  static Run moltctl(Map<String, String> env, boolean terminal, String... args) {
    return moltctl(env, terminal, new StringWriter(), args);
  }

  /** With the output going to {@code out} as it is printed, for a test to read while it runs. */
  static Run moltctl(Map<String, String> env, boolean terminal, StringWriter out, String... args) {
    StringWriter err = new StringWriter();
    int exit = MoltCtl.run(args, env, terminal, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }
}
