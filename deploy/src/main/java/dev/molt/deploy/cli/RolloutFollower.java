package dev.molt.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows one rollout by polling {@code GET /molt/rollouts/{id}} until it ends or the timeout
 * passes, showing each view on a {@link Screen} (only the last one unless {@code live}). A 503
 * (the orchestrator moving to another node) or an unreachable node is shown and asked again; an
 * unknown id is an error at once.
 */
final class RolloutFollower {
  /** How often the rollout is asked for: a step takes tens of milliseconds to minutes. */
  static final Duration POLL = Duration.ofMillis(500);

  private final ApiClient api;
  private final Connection connection;
  private final Screen screen;

  RolloutFollower(ApiClient api, Connection connection, Screen screen) {
    this.api = api;
    this.connection = connection;
    this.screen = screen;
  }

  /** What a command does with each view of a rollout that has not ended (promote --full promotes pauses). */
  interface OnView {
    OnView NOTHING = rollout -> {};

    void seen(JsonNode rollout) throws InterruptedException;
  }

  /** The exit for the phase the rollout ended in; throws {@link Exit#TIMEOUT} when it did not end in time. */
  Exit follow(String id, Duration timeout, boolean live) throws InterruptedException {
    return follow(id, timeout, live, OnView.NOTHING);
  }

  Exit follow(String id, Duration timeout, boolean live, OnView onView) throws InterruptedException {
    return followUntil(id, System.nanoTime() + timeout.toNanos(), timeout, live, onView);
  }

  /** As {@link #follow}, until {@code deadline} ({@link System#nanoTime()}) of a {@code timeout} that began earlier. */
  Exit followUntil(String id, long deadline, Duration timeout, boolean live, OnView onView) throws InterruptedException {
    JsonNode last = null;
    String trouble = null;
    while (true) {
      Read read = read(id);
      last = read.rollout() != null ? read.rollout() : last;
      trouble = read.trouble();
      Exit end = last == null ? null : Exit.ofPhase(last.path("phase").asText());
      boolean late = System.nanoTime() >= deadline;
      if (live || end != null || late) {
        screen.show(view(last, trouble, null));
      }
      if (end != null) {
        return end;
      }
      if (last != null && trouble == null) {
        onView.seen(last);
      }
      if (late) {
        throw timedOut(id, timeout, last, trouble);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** One read of a rollout: its JSON, or why it cannot be read now (an unknown id is a failure at once). */
  record Read(JsonNode rollout, String trouble) {}

  Read read(String id) {
    ApiClient.Reply reply;
    try {
      reply = api.get(connection.resolve("/molt/rollouts/" + id), Duration.ofSeconds(30));
    } catch (CliFailure unreachable) {
      return new Read(null, unreachable.getMessage());
    }
    if (reply.status() == 404) {
      throw new CliFailure("no rollout " + id + ": " + reply.problem());
    }
    return reply.ok(200) ? new Read(reply.json(), null) : new Read(null, reply.problem());
  }

  static CliFailure timedOut(String id, Duration timeout, JsonNode last, String trouble) {
    return new CliFailure(Exit.TIMEOUT, "rollout " + id + " did not end within " + timeout.toSeconds() + " s; it is "
        + (last == null ? "unknown (" + trouble + ")" : last.path("phase").asText()) + " and goes on");
  }

  /** The rollout as it is now, shown once. */
  void showOnce(String id) {
    screen.show(RolloutView.lines(api.get(connection.resolve("/molt/rollouts/" + id)).require(200, "cannot read rollout " + id)));
  }

  /** The rollout's view, then the last event's line (when there is one) and what kept it from being read. */
  static List<String> view(JsonNode rollout, String trouble, String lastEvent) {
    List<String> lines = new ArrayList<>(rollout == null ? List.of() : RolloutView.lines(rollout));
    if (lastEvent != null) {
      lines.add(lastEvent);
    }
    if (trouble != null) {
      lines.add("(asking again: " + trouble + ")");
    }
    return lines;
  }

  /** The newest rollout's id (by start time); a failure when there is none. */
  static String latest(ApiClient api, Connection connection) {
    JsonNode newest = null;
    for (JsonNode rollout : rollouts(api, connection)) {
      if (newest == null || rollout.path("startedAtMillis").asLong() > newest.path("startedAtMillis").asLong()) {
        newest = rollout;
      }
    }
    if (newest == null) {
      throw new CliFailure("no rollout yet on " + connection.base());
    }
    return newest.path("id").asText();
  }

  static JsonNode rollouts(ApiClient api, Connection connection) {
    return api.get(connection.resolve("/molt/rollouts")).require(200, "cannot list rollouts").path("rollouts");
  }
}
