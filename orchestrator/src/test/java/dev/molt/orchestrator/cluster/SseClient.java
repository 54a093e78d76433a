package dev.molt.orchestrator.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain server-sent-events client for tests: reads {@code GET /molt/events} on a thread of its
 * own and queues each event (blank-line terminated block) as {@link Event}; keep-alives (an event
 * with empty data) are counted, not queued.
 */
final class SseClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Event(String id, String type, JsonNode data) {}

  private final HttpURLConnection connection;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final AtomicInteger keepAlives = new AtomicInteger();
  private final Thread reader;
  final int status;
  final String contentType;
  /** The body of a refusal (status not 200). */
  final String errorBody;

  SseClient(int port, String lastEventId) throws IOException {
    connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/molt/events").toURL().openConnection();
    connection.setRequestProperty("Accept", "text/event-stream");
    if (lastEventId != null) {
      connection.setRequestProperty("Last-Event-ID", lastEventId);
    }
    connection.setConnectTimeout(5_000);
    status = connection.getResponseCode();
    contentType = connection.getContentType();
    reader = new Thread(this::read, "sse-client-" + port);
    reader.setDaemon(true);
    if (status == 200) {
      errorBody = null;
      reader.start();
    } else {
      try (var in = connection.getErrorStream()) {
        errorBody = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
      String id = null;
      String type = null;
      StringBuilder data = new StringBuilder();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isEmpty()) {
          if (data.length() == 0) {
            keepAlives.incrementAndGet();
          } else {
            events.add(new Event(id, type, JSON.readTree(data.toString())));
          }
          id = null;
          type = null;
          data.setLength(0);
        } else if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("event:")) {
          type = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).trim());
        }
      }
    } catch (IOException closed) {
      // The test closed the connection.
    }
  }

  /** The next event, or an assertion error naming what was awaited. */
  Event next(String awaited) throws InterruptedException {
    Event e = events.poll(LocalCluster.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      throw new AssertionError("no event within " + LocalCluster.WAIT + " while awaiting " + awaited);
    }
    return e;
  }

  /** The next event if one has arrived, else null. */
  Event poll() {
    return events.poll();
  }

  int keepAlives() {
    return keepAlives.get();
  }

  @Override
  public void close() {
    connection.disconnect();
    reader.interrupt();
  }
}
