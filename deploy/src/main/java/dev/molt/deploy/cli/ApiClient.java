package dev.molt.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

/**
 * Molt's HTTP API for moltctl: every failure, of the network or of the server, becomes one line
 * naming the URL, the HTTP status and the server's error text ({@code error: detail} of Molt's JSON
 * problems, or the first line of any other body).
 */
final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_TEXT = 200;
  /** A 503 (orchestrator moving, 10-60 s) is retried this often, this far apart: over a minute in all. */
  private static final int COMMAND_ATTEMPTS = 15;
  private static final Duration COMMAND_RETRY = Duration.ofSeconds(5);

  /** One answer: the status, the body as text, and as JSON when it is JSON (else null). */
  record Reply(URI uri, int status, String text, JsonNode json) {
    boolean ok(int expected) {
      return status == expected && json != null;
    }

    /** The JSON of an answer with status {@code expected}; else a failure: {@code what: HTTP ...}. */
    JsonNode require(int expected, String what) {
      if (!ok(expected)) {
        throw new CliFailure(what + ": " + problem());
      }
      return json;
    }

    /** {@code HTTP 413 from URI: bundle too large: the limit is ...} */
    String problem() {
      return "HTTP " + status + " from " + uri + ": " + serverText() + (status == 401
          ? " (moltctl sends --user or MOLT_ADMIN_USER with MOLT_ADMIN_PASSWORD or the config's 'password')" : "");
    }

    String serverText() {
      if (json != null && json.hasNonNull("error")) {
        String detail = json.path("detail").asText("");
        return json.path("error").asText() + (detail.isEmpty() ? "" : ": " + detail);
      }
      String body = text == null ? "" : text.strip();
      if (body.startsWith("<")) {
        // Another web server's HTML page: its words, without markup.
        body = body.replaceAll("(?s)<!--.*?-->|<[^>]*>", " ").replaceAll("\\s+", " ").strip();
      }
      String first = body.lines().findFirst().orElse("");
      if (first.isEmpty()) {
        return "(empty body)";
      }
      return first.length() > MAX_TEXT ? first.substring(0, MAX_TEXT) + "..." : first;
    }
  }

  private final HttpClient http;
  private final String authorization;

  /** {@code trusted}: for https URLs, the CAs to trust instead of the JDK's (null: the JDK's). */
  ApiClient(String user, String password, SSLContext trusted) {
    authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    http = (trusted == null ? builder : builder.sslContext(trusted)).build();
  }

  Reply get(URI uri) {
    return send(HttpRequest.newBuilder(uri).GET(), Duration.ofSeconds(60));
  }

  Reply get(URI uri, Duration timeout) {
    return send(HttpRequest.newBuilder(uri).GET(), timeout);
  }

  Reply post(URI uri, String contentType, HttpRequest.BodyPublisher body) {
    return send(HttpRequest.newBuilder(uri).header("Content-Type", contentType).POST(body), Duration.ofSeconds(300));
  }

  /**
   * A start or control: sent with an {@code Idempotency-Key}, so a 503 while the orchestrator moves
   * is asked again with the same key and applied once (docs/orchestrator.md).
   */
  Reply command(URI uri, String json) throws InterruptedException {
    String key = "moltctl-" + UUID.randomUUID();
    Reply reply = null;
    for (int attempt = 1; attempt <= COMMAND_ATTEMPTS; attempt++) {
      reply = send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json").header("Idempotency-Key", key)
          .POST(HttpRequest.BodyPublishers.ofString(json)), Duration.ofSeconds(90));
      if (reply.status() != 503) {
        return reply;
      }
      Thread.sleep(COMMAND_RETRY.toMillis());
    }
    return reply;
  }

  /**
   * {@code GET} of a stream of server-sent events, after {@code lastEventId} when not null: the
   * lines as they come while the status is 200; else the refusal, read whole.
   */
  HttpResponse<Stream<String>> stream(URI uri, String lastEventId) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().header("Accept", "text/event-stream")
        .header("Authorization", authorization).timeout(Duration.ofSeconds(30)); // until the headers: the body flows on
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
  }

  /** A refused stream as a {@link Reply}, for its {@link Reply#problem()}. */
  static Reply refusal(HttpResponse<Stream<String>> response) {
    String body;
    try (Stream<String> lines = response.body()) {
      body = lines.limit(100).collect(Collectors.joining("\n"));
    }
    return new Reply(response.request().uri(), response.statusCode(), body, parse(body));
  }

  private Reply send(HttpRequest.Builder builder, Duration timeout) {
    HttpRequest request = builder.header("Authorization", authorization).timeout(timeout).build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Reply(request.uri(), response.statusCode(), response.body(), parse(response.body()));
    } catch (IOException e) {
      throw new CliFailure("cannot reach " + request.uri() + ": " + reason(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure("interrupted while asking " + request.uri());
    }
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? null : JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  /** The JDK leaves the message of some of these null: say what happened instead. */
  static String reason(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "connect timed out";
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer in time";
    }
    if (e instanceof ConnectException) {
      return "connection refused (nothing listens there?)";
    }
    if (e instanceof SSLHandshakeException) {
      return "TLS handshake failed (" + e.getMessage() + "); give the server's CA certificate with --cacert or MOLT_CA_CERT";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
