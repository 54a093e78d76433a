package dev.molt.orchestrator.events;

import akka.actor.typed.ActorRef;
import akka.actor.typed.pubsub.Topic;
import dev.molt.orchestrator.rollout.Rollout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One orchestrator singleton's side of the events: it numbers each fact of its rollouts'
 * changes ({@code <incarnation>-1}, {@code -2}, ...) and publishes it to every node's
 * {@link EventLog}. Numbering here, once, rather than on each node is what lets a client
 * reconnect to any node, or to a restarted one, with the id it saw last. Used by the singleton's
 * actor only.
 */
public final class EventPublisher {
  private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

  private final ActorRef<Topic.Command<RolloutEvent>> topic;
  private EventId last;

  EventPublisher(ActorRef<Topic.Command<RolloutEvent>> topic, long incarnation) {
    this.topic = topic;
    this.last = new EventId(incarnation, 0);
    log.info("events: this orchestrator numbers its rollout events {}-1, {}-2, ...", incarnation, incarnation);
  }

  /** The singleton's rollout changed from {@code previous} (null: new to it) to {@code next}: publish what happened. */
  public void changed(Rollout previous, Rollout next) {
    for (RolloutEvent fact : RolloutFacts.between(previous, next, System.currentTimeMillis())) {
      try {
        RolloutEvent numbered = fact.numbered(last.next());
        last = numbered.id();
        topic.tell(Topic.publish(numbered));
      } catch (IllegalArgumentException e) { // a fact that is not JSON takes no id; the rollout goes on
        log.error("events: not published: {}", e.getMessage(), e);
      }
    }
  }
}
