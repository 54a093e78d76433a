package dev.molt.orchestrator.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * N Molt nodes as separate JVMs on 127.0.0.1 forming one cluster, and an HTTP client for their
 * management ports. Waits are bounded polls (a cluster forms when it forms), never assertions on
 * how long something took.
 */
public final class LocalCluster implements AutoCloseable {
  public static final String PASSWORD = "test-secret";
  public static final Duration WAIT = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();

  public final List<NodeProcess> nodes = new ArrayList<>();
  public final Path workDir;
  private HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private String scheme = "http";

  LocalCluster(Path workDir) {
    this.workDir = workDir;
  }

  /** Starts {@code count} nodes; {@code extra.get(i)} holds extra -D options of node i (0-based). */
  public static LocalCluster start(Path workDir, int count, List<List<String>> extra) throws Exception {
    return start(workDir, count, node -> node.index < extra.size() ? extra.get(node.index) : List.of());
  }

  /** Starts {@code count} nodes with extra -D options chosen per node. */
  public static LocalCluster start(Path workDir, int count, java.util.function.Function<NodeProcess, List<String>> extra)
      throws Exception {
    return allocate(workDir, count).startAll(extra);
  }

  /** Nodes with their ports chosen, not started: lets a test pick options by node name. */
  public static LocalCluster allocate(Path workDir, int count) throws IOException {
    LocalCluster cluster = new LocalCluster(workDir);
    for (int i = 0; i < count; i++) {
      cluster.nodes.add(new NodeProcess(i, workDir));
    }
    return cluster;
  }

  /** The management ports serve HTTPS (molt.http.tls); requests trust {@code trusted}. Before a start. */
  public LocalCluster https(javax.net.ssl.SSLContext trusted) {
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(trusted).build();
    scheme = "https";
    return this;
  }

  /** The URI of {@code path} on node {@code node}'s management port, with the cluster's scheme. */
  public URI uri(int node, String path) {
    return URI.create(scheme + "://127.0.0.1:" + nodes.get(node).httpPort + path);
  }

  public LocalCluster startAll(java.util.function.Function<NodeProcess, List<String>> extra) throws IOException {
    int seed = nodes.get(0).remotePort;
    for (NodeProcess node : nodes) {
      node.start(seed, extra.apply(node));
    }
    // Every node's own HTTP port, not only node 0's view: a node's agent joins the view before its
    // management HTTP is bound (seen: a test's first upload to node 1 refused 2 s before its bind).
    for (int i = 0; i < nodes.size(); i++) {
      int asked = i;
      await("all " + nodes.size() + " nodes up and known to the orchestrator, seen from node " + asked, () -> {
        JsonNode view = get(asked, "/molt/cluster");
        return view != null && view.path("members").size() == nodes.size();
      });
    }
    return this;
  }

  /** Starts some of the allocated nodes (the first one given must be node 0, the seed). */
  public LocalCluster startNodes(List<Integer> indexes) throws IOException {
    int seed = nodes.get(0).remotePort;
    for (int i : indexes) {
      nodes.get(i).start(seed, List.of());
    }
    return this;
  }

  /** Waits until node {@code via} reports {@code count} members. */
  public void awaitMembers(int via, int count) {
    await(count + " members", () -> {
      JsonNode view = get(via, "/molt/cluster");
      return view != null && view.path("members").size() == count;
    });
  }

  /** Node names in rollout batch order (the orchestrator sorts them). */
  public List<String> namesInBatchOrder() {
    return nodes.stream().map(NodeProcess::name).sorted().toList();
  }

  public NodeProcess node(int i) {
    return nodes.get(i);
  }

  public JsonNode get(int node, String path) {
    return send(node, HttpRequest.newBuilder(uri(node, path)).GET(), null).body;
  }

  public Response getResponse(int node, String path) {
    return send(node, HttpRequest.newBuilder(uri(node, path)).GET(), null);
  }

  /** An authenticated GET (admin reads such as an actor's state). */
  public Response getAdmin(int node, String path) {
    return send(node, HttpRequest.newBuilder(uri(node, path)).GET(), "admin:" + PASSWORD);
  }

  public Response post(int node, String path, String json) {
    return post(node, path, json, true);
  }

  public Response post(int node, String path, String json, boolean authenticated) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(node, path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json == null ? "" : json));
    return send(node, request, authenticated ? "admin:" + PASSWORD : null);
  }

  /** A POST with the given basic credentials ({@code user:password}), or none. */
  public Response postAs(int node, String path, String json, String credentials) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(node, path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json == null ? "" : json));
    return send(node, request, credentials);
  }

  /** An authenticated POST with an {@code Idempotency-Key} header. */
  public Response post(int node, String path, String json, String idempotencyKey) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(node, path))
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", idempotencyKey)
        .POST(HttpRequest.BodyPublishers.ofString(json == null ? "" : json));
    return send(node, request, "admin:" + PASSWORD);
  }

  /** A request to node {@code node}'s application port (the release's own API, no credentials). */
  public Response app(int node, String method, String path, String json) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nodes.get(node).appPort + path))
        .header("Content-Type", "application/json")
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    return send(node, request, null);
  }

  public Response upload(int node, Path bundle) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(node, "/molt/releases"))
        .header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(bundle)));
    return send(node, request, "admin:" + PASSWORD);
  }

  public Response uploadBytes(int node, byte[] bytes, String credentials) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(node, "/molt/releases"))
        .header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    return send(node, request, credentials);
  }

  /**
   * The starting point of the fault tests: 1.0.0 and 2.0.0 uploaded, 1.0.0 rolled out, and counter
   * {@code k<n>} at 1 on every node n (so each node has state a failed upgrade must keep).
   */
  public void onV1WithACounterPerNode() throws IOException {
    for (String version : List.of("1.0.0", "2.0.0")) {
      Response uploaded = upload(0, ClusterRolloutTest.bundle(version));
      if (uploaded.status != 201) {
        throw new AssertionError("upload " + version + ": " + uploaded);
      }
    }
    JsonNode first = rollout(0, "{\"target\": \"1.0.0\"}");
    if (!"completed".equals(first.path("phase").asText())) {
      throw new AssertionError("rollout of 1.0.0: " + first);
    }
    for (int n = 0; n < nodes.size(); n++) {
      increment(n, "k" + n, 1);
      int node = n;
      await("state on node " + n, () -> counter(node, "k" + node).path("count").asLong() == 1);
    }
  }

  /** A bundle the node module built from its test bundles ({@code node/src/test/bundles}). */
  public static Path testBundle(String application, String version) {
    return Path.of(System.getProperty("molt.test.bundles", "../node/target/test-bundles"), application + "-" + version + ".molt");
  }

  /** Uploads {@code application}'s test bundles of {@code versions} through node 1 and rolls the first out. */
  public void deploy(String application, String... versions) throws IOException {
    for (String version : versions) {
      Response uploaded = upload(0, testBundle(application, version));
      if (uploaded.status != 201) {
        throw new AssertionError("upload of " + application + "-" + version + ": " + uploaded);
      }
    }
    JsonNode first = rollout(0, "{\"target\": \"" + application + "-" + versions[0] + "\"}");
    if (!first.path("phase").asText().equals("completed")) {
      throw new AssertionError("rollout of " + application + "-" + versions[0] + ": " + first);
    }
  }

  /** Starts a rollout and waits until it ends; returns its final view. */
  public JsonNode rollout(int node, String spec) {
    Response started = post(node, "/molt/rollouts", spec);
    if (started.status != 202) {
      throw new AssertionError("rollout not accepted: " + started);
    }
    return awaitRollout(node, started.body.path("id").asText());
  }

  public JsonNode awaitRollout(int node, String id) {
    JsonNode[] last = new JsonNode[1];
    await("rollout " + id + " to end", () -> {
      for (int i = 0; i < nodes.size(); i++) {
        int asked = (node + i) % nodes.size();
        if (!nodes.get(asked).alive()) {
          continue;
        }
        JsonNode view = get(asked, "/molt/rollouts/" + id);
        if (view != null && view.has("phase")) {
          last[0] = view;
          return List.of("completed", "rolled-back", "failed", "aborted").contains(view.path("phase").asText());
        }
      }
      return false;
    });
    return last[0];
  }

  public JsonNode awaitRolloutPhase(int node, String id, String phase) {
    JsonNode[] last = new JsonNode[1];
    await("rollout " + id + " to be " + phase, () -> {
      last[0] = get(node, "/molt/rollouts/" + id);
      return last[0] != null && phase.equals(last[0].path("phase").asText());
    });
    return last[0];
  }

  /** A counter actor's reply, through the node that runs it. */
  public JsonNode counter(int node, String key) {
    Response reply = post(node, "/molt/actors/counters/" + key + "?reply=true", "{\"type\": \"get\"}");
    if (reply.status != 200) {
      throw new AssertionError("get " + key + " on node " + node + ": " + reply);
    }
    return reply.body.path("payload");
  }

  public void increment(int node, String key, long seq) {
    Response r = post(node, "/molt/actors/counters/" + key, "{\"type\": \"increment\", \"payload\": {\"seq\": " + seq + "}}");
    if (r.status != 202) {
      throw new AssertionError("increment " + key + " on node " + node + ": " + r);
    }
  }

  public void await(String what, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (condition.get()) {
          return;
        }
      } catch (RuntimeException ignored) {
        // Not there yet (a node still starting, an ask timing out): try again.
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what);
      }
    }
    throw new AssertionError("gave up waiting for " + what + "; logs in " + workDir);
  }

  public String logs() {
    StringBuilder all = new StringBuilder();
    nodes.forEach(n -> all.append(n.logText()));
    return all.toString();
  }

  public record Response(int status, JsonNode body, String text) {
    @Override
    public String toString() {
      return status + " " + text;
    }
  }

  private Response send(int node, HttpRequest.Builder request, String credentials) {
    if (credentials != null) {
      request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    try {
      HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(90)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode body = null;
      try {
        body = JSON.readTree(response.body());
      } catch (IOException ignored) {
        // Not JSON: the text is kept for the assertion message.
      }
      return new Response(response.statusCode(), body, response.body());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("HTTP to node " + node + " failed: " + e, e);
    }
  }


  @Override
  public void close() {
    nodes.forEach(NodeProcess::close);
  }
}
