package dev.molt.orchestrator.http;

import akka.http.javadsl.marshalling.sse.EventStreamMarshalling;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.model.StatusCodes;
import dev.molt.orchestrator.events.EventId;
import dev.molt.orchestrator.events.RolloutEvents;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /molt/events}: every rollout step as a server-sent event ({@code event:} its type,
 * {@code id:} its cluster-wide id {@code <incarnation>-<seq>}, {@code data:} the fact as JSON), from any node. A
 * reconnect with {@code Last-Event-ID} replays what was missed, from any node ({@link RolloutEvents#stream}); past
 * {@code molt.events.max-clients} a client is answered 503.
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
      Optional<EventId> lastEventId;
      try {
        lastEventId = lastEventId(header);
      } catch (BadInput bad) {
        refusals.count("Last-Event-ID", "GET /molt/events", bad.detail());
        return complete(problems.of(bad));
      }
      RolloutEvents served = events.get();
      return served.stream(lastEventId)
          .<Route>map(stream -> completeOK(stream, EventStreamMarshalling.toEventStream()))
          .orElseGet(() -> complete(problems.of(StatusCodes.SERVICE_UNAVAILABLE, "too many event clients",
              "this node serves at most " + served.maxClients() + " clients of /molt/events (molt.events.max-clients) "
                  + "and has as many: connect to another node, or later")));
    })));
  }

  private static Optional<EventId> lastEventId(Optional<String> header) throws BadInput {
    if (header.isEmpty() || header.get().isBlank()) {
      return Optional.empty();
    }
    String text = header.get().trim();
    Optional<EventId> id = EventId.parse(text);
    if (id.isEmpty()) {
      throw new BadInput(400, "bad header", "header '" + LAST_EVENT_ID
          + "' must be the id of an event this stream sent (like 1733300000000-12), was '" + Fields.abbreviate(text) + "'");
    }
    return id;
  }
}
