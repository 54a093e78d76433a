package dev.molt.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code moltctl wait-cluster}: waits until the cluster seen from one node has N ready members. Given
 * the nodes a script started ({@code --node MANAGEMENT_URL=HOST:REMOTE_PORT}), it also checks that
 * each management port is answered by that very node (Akka Management's {@code selfNode}), and
 * fails at once when another process answers there: any HTTP 200 on the port is not proof.
 */
final class ClusterWait {
  /** Another process answers on a port given to one of our nodes: waiting longer cannot help. */
  private static final class ForeignPort extends CliFailure {
    ForeignPort(String message) {
      super(message);
    }
  }

  private final ApiClient api;
  private final PrintWriter out;

  ClusterWait(ApiClient api, PrintWriter out) {
    this.api = api;
    this.out = out;
  }

  /**
   * @param ours management URL → node name ({@code host:port} of its cluster address, as Molt names nodes);
   *     empty: count ready members only
   */
  void await(URI base, int members, Duration within, Map<URI, String> ours) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      try {
        String waiting = ours.isEmpty() ? null : notYetOurs(ours);
        if (waiting == null) {
          waiting = notReady(base, members, ours);
          if (waiting == null) {
            out.println("cluster: " + members + " of " + members + " ready" + (ours.isEmpty() ? "" : ", all ours"));
            return;
          }
        }
        last = waiting;
      } catch (ForeignPort foreign) {
        throw foreign;
      } catch (CliFailure notYet) {
        // A node still starting: its port is not open yet.
        last = notYet.getMessage();
      }
      Thread.sleep(500);
    }
    throw new CliFailure(Exit.TIMEOUT, "cluster not ready within " + within.toSeconds() + " s: " + last);
  }

  /** Null when every port is answered by the node started for it; throws when another process answers. */
  private String notYetOurs(Map<URI, String> ours) {
    for (Map.Entry<URI, String> node : ours.entrySet()) {
      URI uri = node.getKey().resolve("/cluster/members");
      ApiClient.Reply reply = api.get(uri, Duration.ofSeconds(5));
      if (reply.status() != 200 || reply.json() == null || !reply.json().has("selfNode")) {
        throw new ForeignPort(node.getKey() + " is not the Molt node started there (it should be " + node.getValue()
            + "): another process holds the port; " + reply.problem());
      }
      String self = reply.json().path("selfNode").asText();
      if (!self.endsWith("@" + node.getValue())) {
        throw new ForeignPort(node.getKey() + " is answered by " + self + ", not by the node started there ("
            + node.getValue() + "): another Akka node holds the port");
      }
    }
    return null;
  }

  /** Null when the cluster has the members, each ready (and each one of ours, when given). */
  private String notReady(URI base, int members, Map<URI, String> ours) {
    ApiClient.Reply reply = api.get(base.resolve("/molt/cluster"), Duration.ofSeconds(30));
    if (!reply.ok(200)) {
      return reply.problem();
    }
    List<String> ready = new ArrayList<>();
    for (JsonNode member : reply.json().path("members")) {
      if (member.path("ready").asBoolean()) {
        ready.add(member.path("node").asText());
      }
    }
    List<String> missing = ours.values().stream().filter(name -> !ready.contains(name)).toList();
    if (ready.size() < members || !missing.isEmpty()) {
      return ready.size() + " of " + members + " ready" + (missing.isEmpty() ? "" : ", not yet ready: " + missing);
    }
    return null;
  }

  /** {@code http://127.0.0.1:8558=127.0.0.1:25520}, as many as given. */
  static Map<URI, String> parseNodes(List<String> specs) {
    Map<URI, String> ours = new LinkedHashMap<>();
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      if (eq <= 0 || eq == spec.length() - 1 || !spec.substring(eq + 1).matches("[^:@/]+:\\d+")) {
        throw new CliFailure("--node '" + spec + "' must be MANAGEMENT_URL=HOST:REMOTE_PORT, e.g. "
            + "http://127.0.0.1:8558=127.0.0.1:25520");
      }
      URI uri;
      try {
        uri = URI.create(spec.substring(0, eq));
      } catch (IllegalArgumentException e) {
        throw new CliFailure("--node '" + spec + "': '" + spec.substring(0, eq) + "' is not a URL");
      }
      ours.put(uri, spec.substring(eq + 1));
    }
    return ours;
  }
}
