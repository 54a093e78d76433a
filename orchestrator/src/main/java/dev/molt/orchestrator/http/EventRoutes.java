package dev.molt.orchestrator.http;

import akka.http.javadsl.marshalling.sse.EventStreamMarshalling;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import dev.molt.orchestrator.events.RolloutEvents;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * {@code GET /molt/events}: every rollout step as a server-sent event ({@code event:} its type,
 * {@code id:} this node's number for it, {@code data:} the fact as JSON), from any node. A
 * reconnect with {@code Last-Event-ID} replays what was missed ({@link RolloutEvents#stream}).
 * Open like the other read routes ({@code GET /molt/rollouts}).
 */
final class EventRoutes extends AllDirectives {
  private static final String LAST_EVENT_ID = "Last-Event-ID";

  private final Supplier<RolloutEvents> events;
  private final Problems problems;
  private final Refusals refusals;

  EventRoutes(Supplier<RolloutEvents> events, Problems problems, Refusals refusals) {
    this.events = events;
    this.problems = problems;
    this.refusals = refusals;
  }

  Route routes() {
    return path("events", () -> get(() -> optionalHeaderValueByName(LAST_EVENT_ID, header -> {
      OptionalLong lastEventId;
      try {
        lastEventId = lastEventId(header);
      } catch (BadInput bad) {
        refusals.count("Last-Event-ID", "GET /molt/events", bad.detail());
        return complete(problems.of(bad));
      }
      return completeOK(events.get().stream(lastEventId), EventStreamMarshalling.toEventStream());
    })));
  }

  private static OptionalLong lastEventId(Optional<String> header) throws BadInput {
    if (header.isEmpty() || header.get().isBlank()) {
      return OptionalLong.empty();
    }
    String text = header.get().trim();
    if (!text.matches("\\d{1,18}")) {
      throw new BadInput(400, "bad header", "header '" + LAST_EVENT_ID
          + "' must be the id of an event this stream sent (a number from 1), was '" + Fields.abbreviate(text) + "'");
    }
    return OptionalLong.of(Long.parseLong(text));
  }
}
