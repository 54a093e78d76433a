package dev.molt.orchestrator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.molt.node.cluster.LocalNode;
import dev.molt.orchestrator.rollout.OrchestratorProtocol;
import dev.molt.orchestrator.rollout.RolloutSpec;
import dev.molt.protocol.envelope.Envelope;
import dev.molt.protocol.release.ReleaseId;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inputs that once ended a node or stopped the orchestrator, sent to the real routes on a real
 * bound server (Akka HTTP's own parser and limits) in this JVM, with stand-ins for the singleton and
 * the node agent. Each gets its 4xx naming what was wrong, and a valid request right after is
 * served: a fatal error here would have ended this very JVM (jvm-exit-on-fatal-error is on). What
 * needs no server (a rollout's fields and target) is in {@link RolloutRoutesTest}.
 */
class EdgeRoutesTest {
  private static final long MAX_UPLOAD = 3 * 1024 * 1024;
  private static final ReleaseId GAME_2 = StandInOrchestrator.GAME_2;

  @TempDir static Path store;
  private static ActorTestKit kit;
  private static ServerBinding binding;
  private static MoltRoutes routes;
  private static final HttpClient client = HttpClient.newHttpClient();
  private static final ObjectMapper json = new ObjectMapper();
  /** What reached the stand-ins: rollout specs, plan targets, delivered envelopes. */
  private static final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() throws Exception {
    kit = ActorTestKit.create("edge", ConfigFactory.parseString("""
        akka.actor.provider = cluster
        akka.remote.artery.canonical.hostname = 127.0.0.1
        akka.remote.artery.canonical.port = 0
        akka.jvm-exit-on-fatal-error = on
        molt.http.auth = off
        molt.http.max-upload-bytes = %d
        molt.release-store.dir = "%s"
        """.formatted(MAX_UPLOAD, store.toString().replace("\\", "/"))).withFallback(ConfigFactory.load()));
    ActorRef<OrchestratorProtocol.Command> orchestrator = kit.spawn(StandInOrchestrator.create(received), "orchestrator");
    LocalNode.get(kit.system()).started(kit.spawn(StandInAgent.create(received), "agent"), null);
    binding = Http.get(kit.system()).newServerAt("127.0.0.1", 0)
        .bind((routes = new MoltRoutes(kit.system(), orchestrator)).routes())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    binding.unbind();
    kit.shutdownTestKit();
  }

  @BeforeEach
  void clear() {
    received.clear();
  }

  @Test
  void deeplyNestedPayloadIsRefusedWhileParsing() throws Exception {
    String deep = "{\"type\": \"score\", \"payload\": {\"x\": " + "[".repeat(200_000) + "]".repeat(200_000) + "}}";
    assertTrue(deep.length() > 400_000, "the probed size");
    long before = routes.refusals().counts().getOrDefault("molt.http.max-json-depth", 0L);
    Reply reply = post("/molt/actors/rooms/r1", deep);
    assertProblem(reply, 400, "body too deep", "nested deeper than 64 levels");
    assertTrue(reply.detail().contains("molt.http.max-json-depth"), reply.toString());
    assertEquals(before + 1, routes.refusals().counts().get("molt.http.max-json-depth"), "the bound hit is counted");
    assertNull(received.poll(), "nothing reached the node agent");

    assertServed();
  }

  @Test
  void bodiesOverTheJsonLimitAreRefusedBeforeTheyAreRead() throws Exception {
    long huge = 75L * 1024 * 1024;
    Reply declared = streamed("/molt/rollouts", huge, false);
    assertProblem(declared, 413, "body too large", "the limit for JSON bodies is 1048576 bytes (molt.http.max-json-bytes)");

    Reply chunked = streamed("/molt/actors/rooms/r1", huge, true);
    assertProblem(chunked, 413, "body too large", "molt.http.max-json-bytes");
    assertNull(received.poll(), "nothing reached the node agent");

    assertServed();
  }

  @Test
  void anUnknownSchemaVersionIsRefusedWithTheVersionsKnown() throws Exception {
    Reply reply = post("/molt/actors/rooms/r1?reply=true", "{\"type\":\"score\",\"schemaVersion\":99,\"payload\":{}}");
    assertProblem(reply, 409, "unknown schema version",
        "schemaVersion 99 of 'score' is unknown on this node: the schema versions known are 1");
    assertProblem(post("/molt/actors/rooms/r1", "{\"type\":\"score\",\"schemaVersion\":\"2\"}"), 400, "bad field",
        "field 'schemaVersion' must be an integer >= 1");
    assertProblem(post("/molt/actors/rooms/r1", "{\"type\":\"score\",\"schemaVersion\":0}"), 400, "bad field", "'schemaVersion'");
    assertNull(received.poll(), "nothing reached the node agent");
    assertServed();
  }

  @Test
  void aCallerCannotChooseWhereRepliesGo() throws Exception {
    assertProblem(post("/molt/actors/rooms/r1", "{\"type\":\"query\",\"payload\":{\"replyTo\":\"akka://edge/user/agent\"}}"),
        400, "bad field", "field 'payload.replyTo' is set by the route, not the caller: use ?reply=true");
    assertProblem(post("/molt/actors/rooms/r1", "{\"type\":\"query\",\"payload\":[1]}"), 400, "bad field",
        "field 'payload' must be a JSON object, was array");
    assertProblem(post("/molt/actors/rooms/r1", "{\"type\":\"query\",\"to\":\"x\"}"), 400, "bad field", "unknown field 'to'");
    assertNull(received.poll(), "nothing reached the node agent");

    Reply answered = post("/molt/actors/rooms/r1?reply=true", "{\"type\":\"query\"}");
    assertEquals(200, answered.status(), answered.toString());
    assertEquals("room", answered.body().path("type").asText());
    Envelope delivered = (Envelope) received.poll(5, TimeUnit.SECONDS);
    assertTrue(delivered.payload().path("replyTo").asText().contains("/temp/"), "the route's own temporary reply: " + delivered);
  }

  @Test
  void anOverLimitChunkedUploadIs413AndALargeUploadWithinItsOwnLimitIsTaken() throws Exception {
    Reply chunked = streamed("/molt/releases", 20 * MAX_UPLOAD, true);
    assertProblem(chunked, 413, "bundle too large", "the limit is " + MAX_UPLOAD + " bytes (molt.http.max-upload-bytes)");
    Reply declared = streamed("/molt/releases", MAX_UPLOAD + 1, false);
    assertProblem(declared, 413, "bundle too large", "molt.http.max-upload-bytes");

    // Twice the JSON limit: only the upload route lifts the server's small max-content-length.
    Reply taken = send(HttpRequest.newBuilder(uri("/molt/releases"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> filler(2L * 1024 * 1024))));
    assertEquals(201, taken.status(), taken.toString());
    assertEquals(2L * 1024 * 1024, received.poll(5, TimeUnit.SECONDS), "the whole bundle reached the agent");
  }

  @Test
  void errorsAreJsonWithoutStackTraces() throws Exception {
    Reply notJson = post("/molt/plan", "{\"target\": ");
    assertProblem(notJson, 400, "bad request", "the body is not JSON");
    Reply notFound = send(HttpRequest.newBuilder(uri("/molt/nothing")).GET());
    assertEquals(404, notFound.status());
    Reply wrongMethod = send(HttpRequest.newBuilder(uri("/molt/cluster")).DELETE());
    assertEquals(405, wrongMethod.status());
    assertEquals("method not allowed", wrongMethod.body().path("error").asText(), wrongMethod.toString());
    for (Reply r : List.of(notJson, wrongMethod)) {
      assertFalse(r.text().contains("\tat ") || r.text().contains("Exception"), r.text());
    }
  }

  @Test
  void aStackOverflowWhileRoutingIsA500NotTheEndOfTheJvm() throws Exception {
    Route overflowing = Directives.path("deep", () -> Directives.extractRequest(request -> {
      throw new StackOverflowError("recursion in request handling");
    }));
    ServerBinding guarded = Http.get(kit.system()).newServerAt("127.0.0.1", 0)
        .bind(Directives.concat(FatalGuard.guard(overflowing, new Problems(json).of(StatusCodes.INTERNAL_SERVER_ERROR,
            "internal error", "see the node's log")), Directives.path("ok", () -> Directives.complete("ok"))))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    try {
      String base = "http://127.0.0.1:" + guarded.localAddress().getPort();
      Reply failed = send(HttpRequest.newBuilder(URI.create(base + "/deep")).GET());
      assertProblem(failed, 500, "internal error", "see the node's log");
      assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/ok")).GET()).status(), "the server serves on");
    } finally {
      guarded.unbind();
    }
    assertServed();
  }

  @Test
  void theDashboardIsServedFromTheJarAndNothingElseIs() throws Exception {
    HttpResponse<String> bare = get("/molt/ui");
    assertEquals(301, bare.statusCode(), bare.body());
    assertEquals("ui/", bare.headers().firstValue("Location").orElse(null), "relative: works behind a proxy's prefix");

    HttpResponse<String> page = get("/molt/ui/");
    assertEquals(200, page.statusCode());
    assertEquals("text/html; charset=UTF-8", page.headers().firstValue("Content-Type").orElse(null));
    assertTrue(page.body().contains("<script src=\"dashboard.js\" defer></script>"), page.body());
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'self';"),
        "nothing loaded from elsewhere: " + page.headers().map());
    assertEquals("no-cache", page.headers().firstValue("Cache-Control").orElse(null));
    HttpResponse<String> script = get("/molt/ui/dashboard.js");
    assertEquals(200, script.statusCode());
    assertEquals("application/javascript; charset=UTF-8", script.headers().firstValue("Content-Type").orElse(null));
    assertTrue(script.body().contains("new EventSource(API + '/events')"), "the dashboard's script");
    HttpResponse<String> style = get("/molt/ui/dashboard.css");
    assertEquals(200, style.statusCode());
    assertEquals("text/css; charset=UTF-8", style.headers().firstValue("Content-Type").orElse(null));

    // Only the dashboard's three files: not the rest of the class path beside them.
    HttpResponse<String> other = get("/molt/ui/reference.conf");
    assertEquals(404, other.statusCode(), other.body());
    assertEquals("application/json", other.headers().firstValue("Content-Type").orElse(null), other.body());
    assertFalse(other.body().contains("admin-user"), "reference.conf not served: " + other.body());
    assertEquals(405, send(HttpRequest.newBuilder(uri("/molt/ui/")).POST(HttpRequest.BodyPublishers.noBody())).status());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A valid request right after: the routes, the node agent and the orchestrator still serve. */
  private static void assertServed() throws Exception {
    Reply delivered = post("/molt/actors/rooms/r1", "{\"type\":\"score\",\"payload\":{\"player\":\"p\",\"seq\":1,\"points\":5}}");
    assertEquals(202, delivered.status(), delivered.toString());
    Envelope envelope = (Envelope) received.poll(5, TimeUnit.SECONDS);
    assertEquals(5, envelope.payload().path("points").asInt());
    Reply rollout = post("/molt/rollouts", "{\"target\":\"game-2.0.0\"}");
    assertEquals(202, rollout.status(), rollout.toString());
    assertEquals(GAME_2, ((RolloutSpec) received.poll(5, TimeUnit.SECONDS)).target());
  }

  /** {@code size} bytes of JSON-looking filler, generated as read: nothing this size is held in memory. */
  private static InputStream filler(long size) {
    return new InputStream() {
      private long left = size;

      @Override
      public int read() {
        return left-- > 0 ? '[' : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left <= 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        java.util.Arrays.fill(b, off, off + n, (byte) '[');
        left -= n;
        return n;
      }
    };
  }

  private record Reply(int status, String text, JsonNode body) {
    String detail() {
      return body.path("detail").asText();
    }
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path);
  }

  /**
   * A POST of {@code size} filler bytes (chunked, or with its Content-Length) over a plain socket,
   * the answer read while the body is still being written. An HTTP/1.1 server answers an over-limit body early and closes; a client
   * that reads only after writing (java.net.http) then sees a broken pipe instead of the answer.
   */
  private static Reply streamed(String path, long size, boolean chunked) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", binding.localAddress().getPort())) {
      var out = socket.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + size) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      Thread writer = new Thread(() -> {
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) '[');
        try {
          for (long left = size; left > 0; left -= chunk.length) {
            int n = (int) Math.min(chunk.length, left);
            if (chunked) {
              out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.write(chunk, 0, n);
            if (chunked) {
              out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
          }
          if (chunked) {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          }
        } catch (java.io.IOException answeredEarly) {
          // The server answered and closed before the body ended: expected over a limit.
        }
      }, "chunked-writer");
      writer.setDaemon(true);
      writer.start();
      var in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
      String status = readLine(in);
      long length = 0;
      for (String header = readLine(in); !header.isEmpty(); header = readLine(in)) {
        if (header.toLowerCase().startsWith("content-length:")) {
          length = Long.parseLong(header.substring("content-length:".length()).trim());
        }
      }
      byte[] body = new byte[(int) length];
      in.readFully(body);
      String text = new String(body, StandardCharsets.UTF_8);
      JsonNode parsed;
      try {
        parsed = json.readTree(text);
      } catch (Exception e) {
        parsed = json.createObjectNode();
      }
      return new Reply(Integer.parseInt(status.split(" ")[1]), text, parsed);
    }
  }

  private static String readLine(java.io.DataInputStream in) throws java.io.IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new java.io.EOFException("connection closed after '" + line + "'");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  private static Reply post(String path, String body) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
  }

  private static Reply send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body;
    try {
      body = json.readTree(response.body());
    } catch (Exception e) {
      body = json.createObjectNode();
    }
    return new Reply(response.statusCode(), response.body(), body);
  }

  private static void assertProblem(Reply reply, int status, String error, String detailPart) {
    assertEquals(status, reply.status(), reply.toString());
    assertEquals(error, reply.body().path("error").asText(), reply.toString());
    assertTrue(reply.detail().contains(detailPart), reply.toString());
    assertFalse(reply.text().contains("\tat "), "no stack trace");
  }
}
