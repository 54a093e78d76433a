package dev.molt.orchestrator.events;

import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.ConfigFactory;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@code molt.events.max-clients} holds for clients that connect at once, before their streams start. */
class RolloutEventsTest {
  private static final ActorTestKit kit = ActorTestKit.create("rollout-events",
      ConfigFactory.parseString("molt.events.max-clients = 2").withFallback(ConfigFactory.load()));

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void clientsConnectingAtOnceAreCountedAtTheCheck() {
    RolloutEvents events = RolloutEvents.get(kit.system());
    assertTrue(events.stream(Optional.empty()).isPresent(), "the first client");
    assertTrue(events.stream(Optional.empty()).isPresent(), "the second, before the first's stream started");
    assertTrue(events.stream(Optional.empty()).isEmpty(), "the third is over max-clients = 2 although no stream started yet");
    assertTrue(events.stream(Optional.empty()).isEmpty(), "a refused client took no place");
  }
}
