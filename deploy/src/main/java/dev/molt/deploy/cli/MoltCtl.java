package dev.molt.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small client of Molt's HTTP API for scripts (so they need nothing but java):
 *
 * <pre>
 * moltctl upload URL BUNDLE             upload a bundle (201 → prints name version sha256)
 * moltctl rollout URL JSON              start a rollout and wait for its end (exit 0 if completed)
 * moltctl wait-cluster URL N [SECONDS] [--node MANAGEMENT_URL=HOST:REMOTE_PORT ...]
 *                                       wait until N members are up and ready (and the ports are
 *                                       answered by the nodes given)
 * moltctl max-pause URL                 the longest per-node pause of all rollouts, in ms
 * moltctl installs URL                  one line per node of each rollout: install time, actors, max pause
 * </pre>
 *
 * Credentials from {@code MOLT_ADMIN_USER} (default admin) and {@code MOLT_ADMIN_PASSWORD}. Any
 * failure is one line on stderr ({@code moltctl: ...}, with the HTTP status and the server's error
 * text when the server answered) and exit code 1.
 */
public final class MoltCtl {
  private static final List<String> FINAL = List.of("completed", "rolled-back", "failed", "aborted");
  private static final String USAGE = "usage: moltctl upload URL BUNDLE | rollout URL JSON"
      + " | wait-cluster URL N [SECONDS] [--node MANAGEMENT_URL=HOST:REMOTE_PORT ...] | max-pause URL | installs URL";
  private final ApiClient api;

  private MoltCtl() {
    api = new ApiClient(System.getenv().getOrDefault("MOLT_ADMIN_USER", "admin"),
        System.getenv().getOrDefault("MOLT_ADMIN_PASSWORD", ""));
  }

  public static void main(String[] args) {
    try {
      run(args);
    } catch (CliFailure failure) {
      fail(failure.getMessage());
    } catch (InterruptedException e) {
      fail("interrupted");
    } catch (RuntimeException e) {
      // A bug of moltctl, not of the server: still one line, with what it was.
      fail((args.length > 0 ? args[0] + ": " : "") + e);
    }
  }

  private static void run(String[] args) throws InterruptedException {
    if (args.length < 2) {
      throw new CliFailure(USAGE);
    }
    MoltCtl ctl = new MoltCtl();
    URI base = url(args[1]);
    switch (args[0]) {
      case "upload" -> ctl.upload(base, Path.of(arg(args, 2, "BUNDLE")));
      case "rollout" -> ctl.rollout(base, arg(args, 2, "JSON"));
      case "wait-cluster" -> ctl.waitCluster(base, Arrays.asList(args).subList(2, args.length));
      case "max-pause" -> ctl.maxPause(base);
      case "installs" -> ctl.installs(base);
      default -> throw new CliFailure("unknown command '" + args[0] + "'; " + USAGE);
    }
  }

  private void upload(URI base, Path bundle) {
    if (!Files.isRegularFile(bundle)) {
      throw new CliFailure("no bundle at " + bundle);
    }
    HttpRequest.BodyPublisher body;
    try {
      body = HttpRequest.BodyPublishers.ofFile(bundle);
    } catch (FileNotFoundException e) {
      throw new CliFailure("no bundle at " + bundle);
    }
    ApiClient.Reply reply = api.post(base.resolve("/molt/releases"), "application/octet-stream", body);
    if (!reply.ok(201)) {
      throw new CliFailure("upload of " + bundle.getFileName() + " refused: " + reply.problem());
    }
    JsonNode stored = reply.json();
    System.out.println("uploaded " + stored.path("name").asText() + "-" + stored.path("version").asText() + " sha256="
        + stored.path("sha256").asText() + " stored on " + stored.path("storedOn"));
  }

  private void rollout(URI base, String spec) throws InterruptedException {
    ApiClient.Reply started = api.post(base.resolve("/molt/rollouts"), "application/json",
        HttpRequest.BodyPublishers.ofString(spec));
    if (!started.ok(202)) {
      throw new CliFailure("rollout refused: " + started.problem());
    }
    String id = started.json().path("id").asText();
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      try {
        ApiClient.Reply view = api.get(base.resolve("/molt/rollouts/" + id));
        if (view.ok(200)) {
          String phase = view.json().path("phase").asText();
          if (FINAL.contains(phase)) {
            JsonNode rollout = view.json();
            System.out.println("rollout " + id + " " + phase + (rollout.hasNonNull("error") ? ": " + rollout.path("error").asText() : ""));
            System.exit(phase.equals("completed") ? 0 : 1);
          }
          last = "phase " + phase;
        } else {
          // 503 while the orchestrator moves to another node: ask again.
          last = view.problem();
        }
      } catch (CliFailure unreachable) {
        last = unreachable.getMessage();
      }
      Thread.sleep(300);
    }
    throw new CliFailure("rollout " + id + " did not end within 10 minutes; last: " + last);
  }

  private void waitCluster(URI base, List<String> args) throws InterruptedException {
    List<String> positional = new ArrayList<>();
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--node")) {
        if (i + 1 >= args.size()) {
          throw new CliFailure("--node needs MANAGEMENT_URL=HOST:REMOTE_PORT");
        }
        nodes.add(args.get(++i));
      } else {
        positional.add(args.get(i));
      }
    }
    if (positional.isEmpty() || positional.size() > 2) {
      throw new CliFailure(USAGE);
    }
    int members = number(positional.get(0), "N");
    int seconds = positional.size() > 1 ? number(positional.get(1), "SECONDS") : 120;
    var ours = ClusterWait.parseNodes(nodes);
    if (!ours.isEmpty() && ours.size() != members) {
      throw new CliFailure(members + " members expected but " + ours.size() + " --node given");
    }
    new ClusterWait(api).await(base, members, Duration.ofSeconds(seconds), ours);
  }

  private JsonNode rollouts(URI base) {
    ApiClient.Reply reply = api.get(base.resolve("/molt/rollouts"));
    if (!reply.ok(200)) {
      throw new CliFailure("cannot list rollouts: " + reply.problem());
    }
    return reply.json().path("rollouts");
  }

  private void installs(URI base) {
    for (JsonNode rollout : rollouts(base)) {
      for (JsonNode node : rollout.path("nodes")) {
        System.out.printf("%s->%s node=%s %s %s took=%dms actors=%d max-pause=%.1fms%n", release(node.path("from")),
            release(node.path("to")), node.path("node").asText(), node.path("step").asText(), node.path("status").asText(),
            node.path("tookMillis").asLong(), node.path("actors").asInt(), node.path("pauseMaxMicros").asLong() / 1000.0);
      }
    }
  }

  /** A release as the API shows it ({@code "game-1.0.0"} or {@code {"name", "version"}}), as name-version. */
  private static String release(JsonNode release) {
    if (release.isObject()) {
      return release.path("name").asText() + "-" + release.path("version").asText();
    }
    return release.isTextual() ? release.asText() : "none";
  }

  private void maxPause(URI base) {
    long max = 0;
    for (JsonNode rollout : rollouts(base)) {
      for (JsonNode node : rollout.path("nodes")) {
        max = Math.max(max, node.path("pauseMaxMicros").asLong());
      }
    }
    System.out.printf("%.1f%n", max / 1000.0);
  }

  private static URI url(String text) {
    try {
      URI uri = URI.create(text);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException("no scheme or host");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new CliFailure("URL '" + text + "' is not an http URL like http://127.0.0.1:8558");
    }
  }

  private static int number(String text, String name) {
    try {
      int value = Integer.parseInt(text);
      if (value < 1) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new CliFailure(name + " must be a whole number >= 1, not '" + text + "'");
    }
  }

  private static String arg(String[] args, int i, String name) {
    if (args.length <= i) {
      throw new CliFailure("missing " + name + "; " + USAGE);
    }
    return args[i];
  }

  private static void fail(String message) {
    System.err.println("moltctl: " + message);
    System.exit(1);
  }
}
