package dev.molt.orchestrator.events;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.pubsub.Topic;
import akka.http.javadsl.model.sse.ServerSentEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * This node's rollout events: subscribed to the cluster's topic, it keeps the newest
 * {@code molt.events.replay-buffer} events (numbered by the singleton, {@link EventId}) and sends
 * each to the SSE clients attached to this node. A client that attaches with the id of the last
 * event it saw, on this node or another, gets the ones after it. One whose id is older than the
 * buffer (or unknown to this node: numbered before it started, or by an orchestrator it never
 * heard) first gets a {@code missed} event saying how many it lost, counted when known, then what
 * this node has after that id. One whose id is newer than this node's newest (the event is still on
 * its way here) gets the live events after its id.
 */
final class EventLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  sealed interface Command {}

  /** An event from the topic. */
  record Published(RolloutEvent event) implements Command {}

  /** A client stream (an SSE connection) to be sent what it missed, then every new event. */
  record Attach(Optional<EventId> lastEventId, ActorRef<ServerSentEvent> client) implements Command {}

  private record ClientGone(ActorRef<ServerSentEvent> client) implements Command {}

  private record Kept(EventId id, ServerSentEvent event) {}

  private final ActorContext<Command> context;
  private final int capacity;
  private final EventMetrics metrics;
  private final LongConsumer incarnationSeen;
  private final ArrayDeque<Kept> buffer = new ArrayDeque<>();
  /** Each client, with the id up to which live events are not sent (it saw them on another node), or null. */
  private final Map<ActorRef<ServerSentEvent>, EventId> clients = new HashMap<>();

  private EventLog(ActorContext<Command> context, int capacity, EventMetrics metrics, LongConsumer incarnationSeen) {
    this.context = context;
    this.capacity = capacity;
    this.metrics = metrics;
    this.incarnationSeen = incarnationSeen;
  }

  static Behavior<Command> create(ActorRef<Topic.Command<RolloutEvent>> topic, int capacity, EventMetrics metrics,
      LongConsumer incarnationSeen) {
    return Behaviors.setup(context -> {
      topic.tell(Topic.subscribe(context.messageAdapter(RolloutEvent.class, Published::new)));
      return new EventLog(context, capacity, metrics, incarnationSeen).running();
    });
  }

  private Behavior<Command> running() {
    return Behaviors.receive(Command.class)
        .onMessage(Published.class, this::published)
        .onMessage(Attach.class, this::attach)
        .onMessage(ClientGone.class, gone -> {
          clients.remove(gone.client());
          return Behaviors.same();
        })
        .build();
  }

  private Behavior<Command> published(Published p) {
    RolloutEvent event = p.event();
    metrics.received(event);
    incarnationSeen.accept(event.id().incarnation());
    Kept kept = new Kept(event.id(), ServerSentEvent.create(event.data(), event.type().json(), event.id().toString()));
    buffer.addLast(kept);
    if (buffer.size() > capacity) {
      buffer.removeFirst();
    }
    for (Map.Entry<ActorRef<ServerSentEvent>, EventId> client : clients.entrySet()) {
      if (client.getValue() == null || kept.id().isAfter(client.getValue())) {
        client.getKey().tell(kept.event());
        client.setValue(null);
      }
    }
    return Behaviors.same();
  }

  private Behavior<Command> attach(Attach a) {
    EventId after = a.lastEventId().orElse(null);
    boolean ahead = after != null && !buffer.isEmpty() && after.isAfter(buffer.getLast().id());
    // With nothing kept yet, the events up to the client's may still reach this node: not again.
    EventId waitFor = ahead || (after != null && buffer.isEmpty()) ? after : null;
    if (after != null && !ahead && buffer.stream().noneMatch(kept -> kept.id().equals(after))) {
      missed(a.client(), after);
    }
    int replayed = 0;
    for (Kept kept : after == null ? java.util.List.<Kept>of() : buffer) {
      if (kept.id().isAfter(after)) {
        a.client().tell(kept.event());
        replayed++;
      }
    }
    clients.put(a.client(), waitFor);
    context.watchWith(a.client(), new ClientGone(a.client()));
    context.getLog().info("events: a client attached{}: {} replayed, then live{}; clients={}",
        after == null ? "" : " after event " + after, replayed,
        waitFor == null ? "" : " after " + waitFor + " (not yet received here)", clients.size());
    return Behaviors.same();
  }

  /** Told first to a client whose last event this node does not have; it carries no id, so the client's stays. */
  private void missed(ActorRef<ServerSentEvent> client, EventId after) {
    ObjectNode data = JSON.createObjectNode().put("type", RolloutEvent.Type.MISSED.json()).put("lastEventId", after.toString());
    EventId oldest = buffer.isEmpty() ? null : buffer.getFirst().id();
    if (oldest != null && oldest.incarnation() == after.incarnation() && oldest.isAfter(after)) {
      long missed = oldest.seq() - 1 - after.seq();
      data.put("missed", missed).put("reason", missed + " event(s) after " + after
          + " are no longer kept (molt.events.replay-buffer); replay starts at " + oldest);
      metrics.missed(missed);
    } else {
      data.putNull("missed").put("reason", "this node does not have event " + after + (oldest == null
          ? ": it keeps no rollout events yet (it started since)" : ": it was numbered before this node started, "
          + "by an orchestrator this node never heard, or is older than molt.events.replay-buffer; replay starts at "
          + oldest));
    }
    client.tell(ServerSentEvent.create(data.toString(), RolloutEvent.Type.MISSED.json()));
    context.getLog().warn("events: a client reconnected after event {}: {}", after, data.path("reason").asText());
  }
}
