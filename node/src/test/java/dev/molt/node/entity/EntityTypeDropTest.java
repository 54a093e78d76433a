package dev.molt.node.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.DeadLetter;
import akka.actor.testkit.typed.javadsl.FishingOutcomes;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.eventstream.EventStream;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import dev.molt.node.release.NodeCounters;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.envelope.Envelope;
import dev.molt.protocol.envelope.Rejection;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An entity type dropped at run time (bank 3.0.0 adds {@code vault} beside {@code account}; going
 * down to 2.0.0 removes the behaviour and the type): its live entities are passivated cleanly, the
 * other type keeps its state, and a message still reaching the type's region (as one from a node
 * still on 3.0.0 would) is refused to its sender naming the type and the release that dropped it,
 * counted; one without a reply-to goes to dead letters, counted too.
 */
class EntityTypeDropTest {
  private static final String DROPPED = "entity type 'vault' was dropped by release bank-2.0.0 on this node: "
      + "vault/v-1 does not run";

  @Test
  void aDroppedTypeIsPassivatedAndItsMessagesAreRefusedToTheirSenders() {
    try (BankNode node = BankNode.runningV1()) {
      node.unpack("3.0.0");
      node.install(BankNode.V3, InstallMode.BARRIER);
      node.deposit("acc-1", 40);
      vault(node).tell(node.molt.envelopes().of("store", 1, Map.of("amount", 7)));
      assertEquals(7, vaultView(node).path("stored").asLong());
      assertEquals(1, node.entities().hosts().of("vault").size());

      node.install(BankNode.V2, InstallMode.BARRIER);
      node.molt.kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
        assertTrue(node.entities().hosts().of("vault").isEmpty(), "vault passivated: " + node.entities().hosts().of("vault"));
        return null;
      });
      JsonNode account = node.get("acc-1");
      assertEquals(2, account.path("version").asInt());
      assertEquals(40, account.path("balance").asLong(), "the type kept keeps its state");
      assertEquals(java.util.Set.of("account"), node.entities().types());
      UnknownEntityTypeException unknown = assertThrows(UnknownEntityTypeException.class,
          () -> node.entities().ref("vault", "v-1"));
      assertEquals("unknown entity type 'vault' (dropped by release bank-2.0.0): the current release declares [account]",
          unknown.getMessage());

      NodeCounters counters = node.molt.registry().counters();
      long rejected = counters.rejectedMessages();
      TestProbe<Envelope> sender = node.molt.kit.createTestProbe(Envelope.class);
      region(node).tell(node.molt.envelopes().of("get", 1, Map.of("replyTo", sender.getRef())));
      Envelope reply = sender.receiveMessage(Duration.ofSeconds(30));
      assertEquals(Envelope.REJECTED, reply.type());
      assertEquals(new Rejection("get", DROPPED), node.molt.envelopes().read(reply, Rejection.class));

      TestProbe<HostReply> operator = node.molt.kit.createTestProbe(HostReply.class);
      region(node).tell(new HostCommand.GetStatus(operator.getRef()));
      assertEquals(new HostReply.Failed("vault/v-1", "get-status", HostReply.Reason.NOT_RUNNING, DROPPED),
          operator.receiveMessage(Duration.ofSeconds(30)));

      TestProbe<DeadLetter> dead = deadLetters(node);
      Envelope store = node.molt.envelopes().of("store", 1, Map.of("amount", 5));
      region(node).tell(store);
      dead.fishForMessage(Duration.ofSeconds(30), "the store, to dead letters",
          letter -> letter.message().equals(store) ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
      node.molt.kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
        assertEquals(rejected + 3, counters.rejectedMessages(), "each refusal counted");
        return null;
      });

      node.install(BankNode.V3, InstallMode.BARRIER);
      JsonNode again = vaultView(node);
      assertEquals(0, again.path("stored").asLong(), "declared again: v-1 starts over with its start state");
      assertEquals(1, again.path("version").asInt());
    }
  }

  /**
   * A probe of the dead letters, subscribed for sure: the subscription is a message to the event
   * stream, which a dead letter on another path could overtake (seen in a loop run).
   */
  private static TestProbe<DeadLetter> deadLetters(BankNode node) {
    TestProbe<DeadLetter> dead = node.molt.kit.createTestProbe(DeadLetter.class);
    node.molt.kit.system().eventStream().tell(new EventStream.Subscribe<>(DeadLetter.class, dead.getRef()));
    String marker = "subscribed";
    dead.awaitAssert(Duration.ofSeconds(30), () -> {
      node.molt.kit.system().deadLetters().tell(marker);
      dead.fishForMessage(Duration.ofMillis(500), "the marker",
          letter -> marker.equals(letter.message()) ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
      return null;
    });
    return dead;
  }

  private static EntityRef<Object> vault(BankNode node) {
    return node.entities().ref("vault", "v-1");
  }

  /** The vault region on this node, reached past {@code Entities.ref}, as a node still declaring the type would. */
  private static EntityRef<Object> region(BankNode node) {
    return ClusterSharding.get(node.molt.kit.system()).entityRefFor(EntityTypeKey.create(Object.class, "vault"), "v-1");
  }

  private static JsonNode vaultView(BankNode node) {
    TestProbe<Envelope> probe = node.molt.kit.createTestProbe(Envelope.class);
    vault(node).tell(node.molt.envelopes().of("get", 1, Map.of("replyTo", probe.getRef())));
    return probe.receiveMessage(Duration.ofSeconds(30)).payload();
  }
}
