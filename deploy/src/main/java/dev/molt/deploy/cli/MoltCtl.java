package dev.molt.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * A small client of Molt's HTTP API for scripts (so they need nothing but java):
 *
 * <pre>
 * moltctl upload URL BUNDLE             upload a bundle (201 → prints name version sha256)
 * moltctl rollout URL JSON              start a rollout and wait for its end (exit 0 if completed)
 * moltctl wait-cluster URL N [SECONDS]  wait until N members are up and ready
 * moltctl max-pause URL                 the longest per-node pause of all rollouts, in ms
 * </pre>
 *
 * Credentials from {@code MOLT_ADMIN_USER} (default admin) and {@code MOLT_ADMIN_PASSWORD}.
 */
public final class MoltCtl {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> FINAL = List.of("completed", "rolled-back", "failed", "aborted");
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String authorization;

  private MoltCtl() {
    String user = System.getenv().getOrDefault("MOLT_ADMIN_USER", "admin");
    String password = System.getenv().getOrDefault("MOLT_ADMIN_PASSWORD", "");
    authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      fail("usage: moltctl upload|rollout|wait-cluster|max-pause URL [...]");
    }
    MoltCtl ctl = new MoltCtl();
    URI base = URI.create(args[1]);
    switch (args[0]) {
      case "upload" -> ctl.upload(base, Path.of(arg(args, 2, "BUNDLE")));
      case "rollout" -> ctl.rollout(base, arg(args, 2, "JSON"));
      case "wait-cluster" -> ctl.waitCluster(base, Integer.parseInt(arg(args, 2, "N")),
          args.length > 3 ? Integer.parseInt(args[3]) : 120);
      case "max-pause" -> ctl.maxPause(base);
      default -> fail("unknown command '" + args[0] + "'");
    }
  }

  private void upload(URI base, Path bundle) throws Exception {
    if (!Files.isRegularFile(bundle)) {
      fail("no bundle at " + bundle);
    }
    HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/molt/releases"))
        .header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofFile(bundle)));
    JsonNode body = JSON.readTree(response.body());
    if (response.statusCode() != 201) {
      fail("upload of " + bundle.getFileName() + " refused (" + response.statusCode() + "): " + body.path("error").asText()
          + ": " + body.path("detail").asText());
    }
    System.out.println("uploaded " + body.path("name").asText() + "-" + body.path("version").asText() + " sha256="
        + body.path("sha256").asText() + " stored on " + body.path("storedOn"));
  }

  private void rollout(URI base, String spec) throws Exception {
    HttpResponse<String> started = send(HttpRequest.newBuilder(base.resolve("/molt/rollouts"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(spec)));
    JsonNode body = JSON.readTree(started.body());
    if (started.statusCode() != 202) {
      fail("rollout refused (" + started.statusCode() + "): " + body.path("error").asText() + ": " + body.path("detail").asText());
    }
    String id = body.path("id").asText();
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> view = send(HttpRequest.newBuilder(base.resolve("/molt/rollouts/" + id)).GET());
      JsonNode rollout = JSON.readTree(view.body());
      String phase = rollout.path("phase").asText();
      if (FINAL.contains(phase)) {
        System.out.println("rollout " + id + " " + phase + (rollout.hasNonNull("error") ? ": " + rollout.path("error").asText() : ""));
        System.exit(phase.equals("completed") ? 0 : 1);
      }
      Thread.sleep(300);
    }
    fail("rollout " + id + " did not end within 10 minutes");
  }

  private void waitCluster(URI base, int members, int seconds) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/molt/cluster")).GET());
        JsonNode view = JSON.readTree(response.body());
        int ready = 0;
        for (JsonNode m : view.path("members")) {
          ready += m.path("ready").asBoolean() ? 1 : 0;
        }
        last = ready + " of " + members + " ready";
        if (ready >= members) {
          System.out.println("cluster: " + last);
          return;
        }
      } catch (Exception e) {
        last = e.getMessage();
      }
      Thread.sleep(500);
    }
    fail("cluster not ready within " + seconds + " s: " + last);
  }

  private void maxPause(URI base) throws Exception {
    JsonNode rollouts = JSON.readTree(send(HttpRequest.newBuilder(base.resolve("/molt/rollouts")).GET()).body());
    long max = 0;
    for (JsonNode rollout : rollouts.path("rollouts")) {
      for (JsonNode node : rollout.path("nodes")) {
        max = Math.max(max, node.path("pauseMaxMicros").asLong());
      }
    }
    System.out.printf("%.1f%n", max / 1000.0);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.header("Authorization", authorization).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String arg(String[] args, int i, String name) {
    if (args.length <= i) {
      fail("missing " + name);
    }
    return args[i];
  }

  private static void fail(String message) {
    System.err.println("moltctl: " + message);
    System.exit(1);
  }
}
