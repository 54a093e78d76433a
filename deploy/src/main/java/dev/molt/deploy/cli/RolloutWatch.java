package dev.molt.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * Follows one rollout on the event stream ({@code GET /molt/events}): the view is read again
 * ({@code GET /molt/rollouts/{id}}) when the stream opens and on each of the rollout's events, and
 * shown with the event's line, until the rollout ends or the timeout passes. While the rollout
 * cannot be read (503: the orchestrator moving), it is asked again every {@link RolloutFollower#POLL}.
 * A server without the stream, or one lost for good, is followed by polling ({@link RolloutFollower}),
 * said in one line on stderr. One per followed rollout.
 */
final class RolloutWatch {
  private final ApiClient api;
  private final Connection connection;
  private final Screen screen;
  private final PrintWriter err;
  private final EventFeed.Backoff backoff;
  private final RolloutFollower follower;
  /** The rollout as last read (null until read once), why the last read failed (null: it did not), the last event's line. */
  private JsonNode last;
  private String trouble;
  private String lastEvent;

  RolloutWatch(ApiClient api, Connection connection, Screen screen, PrintWriter err, EventFeed.Backoff backoff) {
    this.api = api;
    this.connection = connection;
    this.screen = screen;
    this.err = err;
    this.backoff = backoff;
    this.follower = new RolloutFollower(api, connection, screen);
  }

  /** The exit for the phase the rollout ended in; throws {@link Exit#TIMEOUT} when it did not end in time. */
  Exit follow(String id, Duration timeout, boolean live) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exit ended = readAndShow(id, live); // an unknown id, or a rollout that ended, needs no stream
    if (ended != null) {
      return ended;
    }
    try (EventFeed feed = EventFeed.start(api, connection.resolve("/molt/events"), err, backoff)) {
      while (true) {
        Duration left = Duration.ofNanos(deadline - System.nanoTime());
        if (left.isNegative() || left.isZero()) {
          screen.show(RolloutFollower.view(last, trouble, lastEvent));
          throw RolloutFollower.timedOut(id, timeout, last, trouble);
        }
        boolean stale = trouble != null;
        EventFeed.Signal signal = feed.poll(stale && RolloutFollower.POLL.compareTo(left) < 0 ? RolloutFollower.POLL : left);
        if (signal instanceof EventFeed.GaveUp gaveUp) {
          err.println("moltctl: no event stream (" + gaveUp.problem() + "); polling every " + RolloutFollower.POLL.toMillis()
              + " ms instead");
          feed.close();
          return follower.followUntil(id, deadline, timeout, live, RolloutFollower.OnView.NOTHING);
        }
        if (signal instanceof EventFeed.Received received) {
          if (!EventLine.concerns(received.event(), id)) {
            continue;
          }
          lastEvent = EventLine.of(received.event());
        } else if (signal == null && !stale) {
          continue;
        }
        ended = readAndShow(id, live);
        if (ended != null) {
          return ended;
        }
      }
    }
  }

  /** Reads the rollout again and shows it (when live, or when it ended); its exit once it ended, else null. */
  private Exit readAndShow(String id, boolean live) {
    RolloutFollower.Read read = follower.read(id);
    last = read.rollout() != null ? read.rollout() : last;
    trouble = read.trouble();
    Exit end = last == null ? null : Exit.ofPhase(last.path("phase").asText());
    if (live || end != null) {
      screen.show(RolloutFollower.view(last, trouble, lastEvent));
    }
    return end;
  }
}
