package dev.molt.orchestrator.events;

import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.Props;
import akka.actor.typed.pubsub.Topic;
import akka.http.javadsl.model.sse.ServerSentEvent;
import akka.stream.BufferOverflowException;
import akka.stream.OverflowStrategy;
import akka.stream.javadsl.Source;
import akka.stream.typed.javadsl.ActorSource;
import com.typesafe.config.Config;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rollout progress as events, on every node. The orchestrator singleton numbers the facts of each
 * change of its rollout and publishes them ({@link #publisher}) to Akka's cluster pub-sub
 * {@link Topic} {@code molt-rollout-events}; each node's {@link EventLog} receives and keeps them
 * and serves {@code GET /molt/events} on that node, to at most {@code molt.events.max-clients}. We chose the topic (one topic actor per node, found
 * through the Receptionist) over each node subscribing to the singleton: it needs no re-subscribe
 * when the singleton moves, and a node that is not the singleton's is served the same way.
 */
public final class RolloutEvents implements Extension {
  private static final Logger log = LoggerFactory.getLogger(RolloutEvents.class);
  static final String TOPIC = "molt-rollout-events";

  public static final ExtensionId<RolloutEvents> ID =
      new ExtensionId<>() {
        @Override
        public RolloutEvents createExtension(ActorSystem<?> system) {
          return new RolloutEvents(system);
        }
      };

  private final ActorRef<Topic.Command<RolloutEvent>> topic;
  private final ActorRef<EventLog.Command> eventLog;
  private final EventMetrics metrics = new EventMetrics();
  private final int clientBuffer;
  private final Duration keepAlive;
  private final int maxClients;
  private final AtomicInteger clients = new AtomicInteger();
  /** The newest orchestrator incarnation this node heard of: a singleton started here numbers above it. */
  private final AtomicLong incarnationSeen = new AtomicLong();

  private RolloutEvents(ActorSystem<?> system) {
    Config events = system.settings().config().getConfig("molt.events");
    int replayBuffer = events.getInt("replay-buffer");
    // A client is first sent up to the whole replay buffer, then keeps up with live events.
    this.clientBuffer = replayBuffer + events.getInt("client-buffer");
    this.keepAlive = events.getDuration("keep-alive");
    this.maxClients = events.getInt("max-clients");
    if (maxClients < 1) {
      throw new IllegalArgumentException("molt.events.max-clients must be at least 1, was " + maxClients);
    }
    this.topic = system.systemActorOf(Topic.create(RolloutEvent.class, TOPIC), "molt-rollout-events", Props.empty());
    // Resumed, not stopped, on a failure (logged by Akka): one bad fact must not end every client's stream.
    this.eventLog = system.systemActorOf(akka.actor.typed.javadsl.Behaviors.supervise(EventLog.create(topic, replayBuffer, metrics,
        seen -> incarnationSeen.accumulateAndGet(seen, Math::max)))
        .onFailure(akka.actor.typed.SupervisorStrategy.resume()), "molt-event-log", Props.empty());
  }

  public static RolloutEvents get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /**
   * For an orchestrator singleton starting on this node: its incarnation is now, in epoch
   * milliseconds, or above the newest this node heard of if that is later (a clock behind).
   */
  public EventPublisher publisher() {
    return new EventPublisher(topic, incarnationSeen.updateAndGet(seen -> Math.max(System.currentTimeMillis(), seen + 1)));
  }

  /**
   * This node's events after {@code lastEventId} (none: from now on), then every new one, with a
   * keep-alive comment when nothing was sent for {@code molt.events.keep-alive}. A client too slow
   * to keep up is disconnected (counted), and can reconnect with the id of the last event it got.
   * Empty, counted and logged, when {@code molt.events.max-clients} clients are connected; a stream
   * returned counts as connected until it ends, so the caller must run it (the route completes with it).
   */
  public Optional<Source<ServerSentEvent, NotUsed>> stream(Optional<EventId> lastEventId) {
    // Counted here, not when the stream starts, so that simultaneous connects cannot pass the check together.
    int connected = clients.incrementAndGet();
    if (connected > maxClients) {
      clients.decrementAndGet();
      metrics.refused();
      log.warn("events: a client refused: {} connected, molt.events.max-clients = {}", connected - 1, maxClients);
      return Optional.empty();
    }
    metrics.clients(connected);
    return Optional.of(ActorSource.<ServerSentEvent>actorRef(e -> false, e -> Optional.empty(), clientBuffer, OverflowStrategy.fail())
        .mapMaterializedValue(client -> {
          eventLog.tell(new EventLog.Attach(lastEventId, client));
          return NotUsed.getInstance();
        })
        .recoverWithRetries(1, BufferOverflowException.class, () -> {
          metrics.dropped();
          log.warn("events: a client fell more than {} events behind (molt.events.client-buffer + replay-buffer): "
              + "disconnected; it can reconnect with Last-Event-ID", clientBuffer);
          return Source.empty();
        })
        .keepAlive(keepAlive, ServerSentEvent::heartbeat)
        .watchTermination((notUsed, done) -> {
          done.whenComplete((ok, failure) -> metrics.clients(clients.decrementAndGet()));
          return NotUsed.getInstance();
        }));
  }

  /** {@code molt.events.max-clients}. */
  public int maxClients() {
    return maxClients;
  }

  /** This node's event and rollout metrics ({@code molt_rollouts_total}, ...). */
  public PrometheusRegistry registry() {
    return metrics.registry();
  }
}
