package dev.molt.node.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.molt.node.agent.AgentCommand;
import dev.molt.node.agent.AgentReply;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import dev.molt.node.host.Passivate;
import dev.molt.protocol.envelope.Envelope;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Passivation of an entity an install has suspended: it waits behind the stashed messages, which
 * are handled (on the new code, after a change) before the host stops. And addresses the node
 * cannot resolve are refused with what exists.
 */
class EntityPassivationTest {

  @Test
  void aPassivationWhileSuspendedWaitsForTheStashedMessages() {
    try (BankNode node = BankNode.runningV1()) {
      TestProbe<Envelope> reader = node.molt.kit.createTestProbe(Envelope.class);
      ActorRef<Object> host = suspendedWithStash(node, 100, 5, reader);
      // Through the shard, as idle passivation and a hand-off do: the shard sends the stop message
      // and holds later messages for the next incarnation. (The stop message sent straight to the
      // host leaves the shard delivering to a stopped actor: the read below was lost that way.)
      host.tell(LeaveThroughShard.REQUEST);
      awaitStashed(node, host, 3);
      HostReply.Status status = node.molt.ask(host, HostCommand.GetStatus::new, HostReply.Status.class);
      assertTrue(status.suspended(), "still suspended, not stopped: " + status);
      assertEquals(3, status.stashed(), "the passivation waits behind the stash");

      TestProbe<Object> watcher = node.molt.kit.createTestProbe();
      HostReply.Done resumed = node.molt.ask(host, HostCommand.Resume::new, HostReply.Done.class);
      assertEquals(3, resumed.replayed());
      assertEquals(105, reader.receiveMessage().payload().path("balance").asLong(), "the stashed deposit was handled");
      watcher.expectTerminated(host, Duration.ofSeconds(30));
      assertEquals(0, node.get("acc-1").path("balance").asLong(), "passivated: back with its start state");
    }
  }

  @Test
  void aPassivationIsNeverRejectedByAFullStash() {
    try (BankNode node = BankNode.runningV1("molt.host.stash-capacity = 2")) {
      TestProbe<Envelope> reader = node.molt.kit.createTestProbe(Envelope.class);
      ActorRef<Object> host = suspendedWithStash(node, 1, 10, reader);
      // The shard's stop message itself, so that it surely meets the full stash (nothing is sent to
      // acc-1 after it, so bypassing the shard loses nothing here).
      host.tell(Passivate.INSTANCE);
      assertEquals(2, node.molt.ask(host, HostCommand.GetStatus::new, HostReply.Status.class).stashed(), "full");

      TestProbe<Object> watcher = node.molt.kit.createTestProbe();
      assertEquals(2, node.molt.ask(host, HostCommand.Resume::new, HostReply.Done.class).replayed());
      assertEquals(11, reader.receiveMessage().payload().path("balance").asLong());
      watcher.expectTerminated(host, Duration.ofSeconds(30));
    }
  }

  @Test
  void unknownAddressesAreRefusedWithWhatExists() {
    try (BankNode node = BankNode.runningV1()) {
      UnknownEntityTypeException unknown = assertThrows(UnknownEntityTypeException.class,
          () -> node.entities().ref("accounts", "a"));
      assertEquals("unknown entity type 'accounts': the current release declares [account]", unknown.getMessage());
      assertEquals(java.util.Set.of("account"), node.entities().types());

      AgentReply none = node.ask(r -> new AgentCommand.FindActor("nosuch", "k", r), Duration.ofSeconds(30));
      assertEquals(new AgentReply.ActorUnknown("no supervisor or entity type 'nosuch' runs on this node; supervisors: "
          + "[branches], entity types: [account]"), none);
      AgentReply entity = node.ask(r -> new AgentCommand.FindActor("account", "a-1", r), Duration.ofSeconds(30));
      assertEquals("account/a-1", ((AgentReply.ActorFound) entity).target().path());
      AgentReply dynamic = node.ask(r -> new AgentCommand.FindActor("branches", "b 1", r), Duration.ofSeconds(30));
      assertEquals(new AgentReply.ActorFound(new ActorTarget.OnDemand("branches", "b 1")), dynamic);
    }
  }

  /**
   * acc-1 with {@code first} deposited, suspended as an install does, then a deposit of {@code then}
   * and a read (to {@code reader}) stashed.
   */
  private static ActorRef<Object> suspendedWithStash(BankNode node, long first, long then, TestProbe<Envelope> reader) {
    node.deposit("acc-1", first);
    assertEquals(first, node.get("acc-1").path("balance").asLong());
    ActorRef<Object> host = node.listed().get(0).ref();
    node.molt.ask(host, HostCommand.Suspend::new, HostReply.Done.class);
    node.deposit("acc-1", then);
    node.get("acc-1", reader);
    awaitStashed(node, host, 2);
    return host;
  }

  private static void awaitStashed(BankNode node, ActorRef<Object> host, int count) {
    node.molt.kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      assertEquals(count, node.molt.ask(host, HostCommand.GetStatus::new, HostReply.Status.class).stashed());
      return null;
    });
  }
}
