package dev.molt.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * moltctl's failures are one line with the HTTP status and the server's own error text (never
 * "null"), and wait-cluster refuses at once a port answered by a process other than the node
 * started for it.
 */
class MoltCtlErrorsTest {
  private HttpServer server;
  private URI base;
  private final ApiClient api = new ApiClient("admin", "secret", null);

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/molt/releases", exchange -> answer(exchange, 413, "text/plain",
        "Request Content-Length of 90000000 bytes exceeds the configured limit of 83886080 bytes\nsecond line"));
    server.createContext("/molt/rollouts", exchange -> answer(exchange, 503, "application/json",
        "{\"error\":\"orchestrator unavailable\",\"detail\":\"no answer from the orchestrator in 10 s; retry\"}"));
    server.createContext("/molt/cluster", exchange -> answer(exchange, 500, "text/plain", ""));
    server.createContext("/molt/plan", exchange -> answer(exchange, 403, "application/json",
        "{\"error\":\"forbidden\",\"detail\":\"user 'vera' has role viewer; planning a rollout needs operator\"}"));
    server.createContext("/molt/events", exchange -> answer(exchange, 401, "application/json",
        "{\"error\":\"unauthorized\",\"detail\":\"wrong user or password\"}"));
    server.createContext("/", exchange -> answer(exchange, 404, "text/html",
        "<!DOCTYPE HTML>\n<html><body>Error response: File not found</body></html>"));
    server.start();
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Test
  void aPlainTextErrorIsItsFirstLineWithTheStatus() {
    var reply = api.get(base.resolve("/molt/releases"));
    assertEquals("HTTP 413 from " + base + "/molt/releases: Request Content-Length of 90000000 bytes exceeds the"
        + " configured limit of 83886080 bytes", reply.problem());
  }

  @Test
  void moltsJsonProblemIsErrorAndDetail() {
    var reply = api.get(base.resolve("/molt/rollouts"));
    assertEquals("HTTP 503 from " + base + "/molt/rollouts: orchestrator unavailable: no answer from the orchestrator"
        + " in 10 s; retry", reply.problem());
  }

  @Test
  void a403NamesTheRoleNeededAndA401WhereCredentialsComeFrom() {
    assertEquals("HTTP 403 from " + base + "/molt/plan: forbidden: user 'vera' has role viewer; planning a rollout needs operator",
        api.get(base.resolve("/molt/plan")).problem());
    assertEquals("HTTP 401 from " + base + "/molt/events: unauthorized: wrong user or password (moltctl sends --user or"
        + " MOLT_ADMIN_USER with MOLT_ADMIN_PASSWORD or the config's 'password')", api.get(base.resolve("/molt/events")).problem());
  }

  @Test
  void hashPasswordReadsStdinNotArgv() throws Exception {
    java.io.InputStream stdin = System.in;
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code;
    try {
      System.setIn(new java.io.ByteArrayInputStream("s3cret-pw\n".getBytes(StandardCharsets.UTF_8)));
      code = MoltCtl.run(new String[] {"hash-password", "--iterations", "1000"}, Map.of(), false,
          new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
    } finally {
      System.setIn(stdin);
    }
    assertEquals(0, code, err.toString());
    String hash = out.toString().strip();
    assertTrue(hash.startsWith("pbkdf2-sha256$1000$"), hash);
    var users = new dev.molt.orchestrator.auth.Users(Map.of("ops", Map.entry(dev.molt.orchestrator.auth.Role.OPERATOR,
        dev.molt.orchestrator.auth.PasswordHash.parse(hash))));
    assertTrue(users.authenticate("ops", "s3cret-pw").isPresent(), "the printed hash accepts the password read");
    assertFalse(users.authenticate("ops", "s3cret-pw\n").isPresent());
  }

  @Test
  void anEmptyBodySaysSo() {
    assertEquals("HTTP 500 from " + base + "/molt/cluster: (empty body)", api.get(base.resolve("/molt/cluster")).problem());
  }

  @Test
  void nothingListeningIsNamedNotNull() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + closed + "/molt/cluster");
    CliFailure failure = assertThrows(CliFailure.class, () -> api.get(nowhere));
    assertEquals("cannot reach " + nowhere + ": connection refused (nothing listens there?)", failure.getMessage());
  }

  @Test
  void waitClusterRefusesAPortAnsweredByAnotherProcessAtOnce() {
    var ours = ClusterWait.parseNodes(List.of(base + "=127.0.0.1:25520"));
    CliFailure failure = assertThrows(CliFailure.class,
        () -> new ClusterWait(api, new java.io.PrintWriter(java.io.Writer.nullWriter())).await(base, 1, Duration.ofMinutes(5), ours));
    assertTrue(failure.getMessage().startsWith(base + " is not the Molt node started there (it should be 127.0.0.1:25520):"
        + " another process holds the port; HTTP 404 from " + base + "/cluster/members: Error response: File not found"),
        failure.getMessage());
    assertFalse(failure.getMessage().contains("\n"), "one line");
  }

  @Test
  void waitClusterRefusesAnotherAkkaNodeOnOurPort() {
    server.createContext("/cluster/members", exchange -> answer(exchange, 200, "application/json",
        "{\"selfNode\":\"akka://molt@127.0.0.1:25999\",\"members\":[]}"));
    var ours = ClusterWait.parseNodes(List.of(base + "=127.0.0.1:25520"));
    CliFailure failure = assertThrows(CliFailure.class,
        () -> new ClusterWait(api, new java.io.PrintWriter(java.io.Writer.nullWriter())).await(base, 1, Duration.ofMinutes(5), ours));
    assertEquals(base + " is answered by akka://molt@127.0.0.1:25999, not by the node started there (127.0.0.1:25520):"
        + " another Akka node holds the port", failure.getMessage());
  }

  @Test
  void badNodeSpecsAreNamed() {
    CliFailure failure = assertThrows(CliFailure.class, () -> ClusterWait.parseNodes(List.of("http://127.0.0.1:8558")));
    assertEquals("--node 'http://127.0.0.1:8558' must be MANAGEMENT_URL=HOST:REMOTE_PORT, e.g. "
        + "http://127.0.0.1:8558=127.0.0.1:25520", failure.getMessage());
    assertEquals(Map.of(URI.create("http://127.0.0.1:8558"), "127.0.0.1:25520"),
        ClusterWait.parseNodes(List.of("http://127.0.0.1:8558=127.0.0.1:25520")));
  }
}
