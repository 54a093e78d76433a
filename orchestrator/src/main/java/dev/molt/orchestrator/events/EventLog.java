package dev.molt.orchestrator.events;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.pubsub.Topic;
import akka.http.javadsl.model.sse.ServerSentEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * This node's rollout events: subscribed to the cluster's topic, it numbers each event it receives
 * (1, 2, 3, ... from the node's start), keeps the newest {@code molt.events.replay-buffer} of them
 * and sends each to the SSE clients attached to this node. A client that attaches with the id of
 * the last event it saw gets the ones after it; one whose id is no longer in the buffer (or is
 * newer than any this node numbered: the node restarted) first gets a {@code missed} event saying
 * how many it lost, counted, then the whole buffer.
 */
final class EventLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  sealed interface Command {}

  /** An event from the topic. */
  record Published(RolloutEvent event) implements Command {}

  /** A client stream (an SSE connection) to be sent what it missed, then every new event. */
  record Attach(OptionalLong lastEventId, ActorRef<ServerSentEvent> client) implements Command {}

  private record ClientGone(ActorRef<ServerSentEvent> client) implements Command {}

  private record Numbered(long id, ServerSentEvent event) {}

  private final ActorContext<Command> context;
  private final int capacity;
  private final EventMetrics metrics;
  private final ArrayDeque<Numbered> buffer = new ArrayDeque<>();
  private final Set<ActorRef<ServerSentEvent>> clients = new HashSet<>();
  private long lastId;

  private EventLog(ActorContext<Command> context, int capacity, EventMetrics metrics) {
    this.context = context;
    this.capacity = capacity;
    this.metrics = metrics;
  }

  static Behavior<Command> create(ActorRef<Topic.Command<RolloutEvent>> topic, int capacity, EventMetrics metrics) {
    return Behaviors.setup(context -> {
      topic.tell(Topic.subscribe(context.messageAdapter(RolloutEvent.class, Published::new)));
      return new EventLog(context, capacity, metrics).running();
    });
  }

  private Behavior<Command> running() {
    return Behaviors.receive(Command.class)
        .onMessage(Published.class, this::published)
        .onMessage(Attach.class, this::attach)
        .onMessage(ClientGone.class, gone -> {
          clients.remove(gone.client());
          metrics.clients(clients.size());
          return Behaviors.same();
        })
        .build();
  }

  private Behavior<Command> published(Published p) {
    metrics.received(p.event());
    Numbered numbered = new Numbered(lastId + 1, sse(lastId + 1, p.event())); // a fact that is not JSON takes no id
    lastId = numbered.id();
    buffer.addLast(numbered);
    if (buffer.size() > capacity) {
      buffer.removeFirst();
    }
    clients.forEach(c -> c.tell(numbered.event()));
    return Behaviors.same();
  }

  private Behavior<Command> attach(Attach a) {
    long oldest = buffer.isEmpty() ? lastId + 1 : buffer.getFirst().id();
    long after = a.lastEventId().orElse(lastId);
    if (after > lastId || after < oldest - 1) {
      long missed = after > lastId ? -1 : oldest - 1 - after;
      a.client().tell(missed(after, missed, oldest));
      metrics.missed(Math.max(missed, 0));
      context.getLog().warn("events: a client reconnected after event {}, which this node {}: {} replayed", after,
          missed < 0 ? "never numbered (it restarted since)" : "no longer keeps (molt.events.replay-buffer = " + capacity
              + "): " + missed + " missed,", buffer.size());
      after = 0;
    }
    int replayed = 0;
    for (Numbered n : buffer) {
      if (n.id() > after) {
        a.client().tell(n.event());
        replayed++;
      }
    }
    clients.add(a.client());
    context.watchWith(a.client(), new ClientGone(a.client()));
    metrics.clients(clients.size());
    context.getLog().info("events: a client attached{}: {} replayed, then live from event {}; clients={}",
        a.lastEventId().isPresent() ? " after event " + a.lastEventId().getAsLong() : "", replayed, lastId + 1, clients.size());
    return Behaviors.same();
  }

  /** The event as SSE: its type as {@code event:}, the number as {@code id:}, the fact with its id as {@code data:}. */
  private static ServerSentEvent sse(long id, RolloutEvent event) {
    try {
      ObjectNode data = (ObjectNode) JSON.readTree(event.data());
      return ServerSentEvent.create(JSON.createObjectNode().put("id", id).setAll(data).toString(), event.type().json(),
          Long.toString(id));
    } catch (IOException e) {
      throw new UncheckedIOException("rollout event " + event.type() + " of " + event.rollout() + " is not JSON", e);
    }
  }

  /** Told first to a client that asked for events this node no longer has; it carries no id, so the client's stays. */
  private static ServerSentEvent missed(long lastEventId, long missed, long oldest) {
    ObjectNode data = JSON.createObjectNode().put("type", RolloutEvent.Type.MISSED.json()).put("lastEventId", lastEventId);
    if (missed < 0) {
      data.putNull("missed").put("reason", "this node never numbered event " + lastEventId
          + ": it restarted since, and numbers its events from 1 again; what it still has follows");
    } else {
      data.put("missed", missed).put("reason", missed + " event(s) after " + lastEventId
          + " are no longer kept (molt.events.replay-buffer); replay starts at " + oldest);
    }
    return ServerSentEvent.create(data.toString(), RolloutEvent.Type.MISSED.json());
  }
}
