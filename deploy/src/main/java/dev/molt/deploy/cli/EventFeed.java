package dev.molt.deploy.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code GET /molt/events} read on a thread of its own, as {@link Signal}s for the command's thread.
 * A dropped stream is opened again with the {@code Last-Event-ID} of the last event received (the
 * node replays what was missed), after a growing delay, saying {@code reconnecting} on stderr; after
 * {@link Backoff#attempts} failures in a row, or a refusal that a retry cannot mend, it gives up.
 */
final class EventFeed implements AutoCloseable {

  sealed interface Signal {}

  /** The stream is open (again): what happened before it is only in the rollout's state. */
  record Connected(String lastEventId) implements Signal {}

  record Received(SseEvent event) implements Signal {}

  /** The feed ended for good: the command polls instead. */
  sealed interface GaveUp extends Signal {
    String problem();
  }

  /** The server has no event stream (404: a Molt before it). */
  record NotServed(String problem) implements GaveUp {}

  /** Reconnects did not help, or cannot: why. */
  record Lost(String problem) implements GaveUp {}

  /** Reconnects: the first after {@code first}, each next one twice as late up to {@code max}, at most {@code attempts} in a row. */
  record Backoff(Duration first, Duration max, int attempts) {
    /** About 45 s in all: a node restarting, or a proxy dropping an idle connection, is reconnected. */
    static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10), 8);

    Duration delay(int attempt) {
      Duration delay = first.multipliedBy(1L << Math.min(attempt - 1, 20));
      return delay.compareTo(max) > 0 ? max : delay;
    }
  }

  private final ApiClient api;
  private final URI uri;
  private final PrintWriter err;
  private final Backoff backoff;
  private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
  private final Thread reader;
  private volatile Stream<String> open;
  private volatile boolean closed;
  /** The id of the last event received that had one (reader thread only). */
  private String lastEventId;

  private EventFeed(ApiClient api, URI uri, PrintWriter err, Backoff backoff) {
    this.api = api;
    this.uri = uri;
    this.err = err;
    this.backoff = backoff;
    this.reader = new Thread(this::read, "moltctl-events");
    reader.setDaemon(true);
  }

  static EventFeed start(ApiClient api, URI uri, PrintWriter err, Backoff backoff) {
    EventFeed feed = new EventFeed(api, uri, err, backoff);
    feed.reader.start();
    return feed;
  }

  /** The next signal, or null when none came within {@code wait}. */
  Signal poll(Duration wait) throws InterruptedException {
    return signals.poll(Math.max(wait.toMillis(), 0), TimeUnit.MILLISECONDS);
  }

  private void read() {
    int failures = 0;
    try {
      while (true) {
        String reason;
        try {
          HttpResponse<Stream<String>> response = api.stream(uri, lastEventId);
          if (response.statusCode() == 200) {
            failures = 0;
            signals.put(new Connected(lastEventId));
            relay(response.body());
            reason = "the server ended the stream";
          } else {
            ApiClient.Reply refused = ApiClient.refusal(response);
            if (refused.status() == 404) {
              signals.put(new NotServed(refused.problem()));
              return;
            }
            if (refused.status() != 503 && refused.status() < 500) { // credentials, a bad id: asking again changes nothing
              signals.put(new Lost(refused.problem()));
              return;
            }
            reason = refused.problem();
          }
        } catch (IOException | UncheckedIOException e) {
          if (closed) {
            return;
          }
          reason = ApiClient.reason(e instanceof UncheckedIOException u ? u.getCause() : (IOException) e);
        }
        failures++;
        if (failures > backoff.attempts()) {
          signals.put(new Lost("gave up after " + backoff.attempts() + " reconnects: " + reason));
          return;
        }
        Duration delay = backoff.delay(failures);
        err.println("moltctl: event stream " + uri + ": " + reason + "; reconnecting in " + RolloutView.millis(delay.toMillis())
            + (lastEventId == null ? "" : " after event " + lastEventId) + " (" + failures + "/" + backoff.attempts() + ")");
        Thread.sleep(delay.toMillis());
      }
    } catch (InterruptedException closed) {
      // close(): the command ended.
    }
  }

  /** Passes on each event of one open stream until it ends, keeping the last id. */
  private void relay(Stream<String> lines) throws InterruptedException {
    SseEvent.Parser parser = new SseEvent.Parser();
    open = lines;
    try (lines) {
      for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
        SseEvent event = parser.line(it.next());
        if (event != null) {
          lastEventId = event.id() != null ? event.id() : lastEventId;
          signals.put(new Received(event));
        }
      }
    } finally {
      open = null;
    }
  }

  @Override
  public void close() {
    closed = true;
    reader.interrupt();
    Stream<String> lines = open;
    if (lines != null) {
      lines.close();
    }
  }
}
