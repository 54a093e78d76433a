package dev.molt.node.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.node.agent.AgentReply;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.protocol.control.InstallMode;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * OTP's {@code restart_application} with sharded entities (bank 2.1.0's appup from 1.0.0): as the
 * tree's children, the entities start over. The install goes on only once the entities of 1.0.0 are
 * gone, so every message after it meets 2.1.0's code, each entity with its start state.
 */
class EntityRestartApplicationTest {

  @ParameterizedTest
  @EnumSource(InstallMode.class)
  void entitiesComeBackOnTheNewReleaseWithTheirStartState(InstallMode mode) {
    try (BankNode node = BankNode.runningV1()) {
      node.unpack("2.1.0");
      List<String> accounts = IntStream.range(0, 10).mapToObj(i -> "acc-" + i).toList();
      for (int i = 0; i < accounts.size(); i++) {
        node.deposit(accounts.get(i), i + 1);
      }
      for (int i = 0; i < accounts.size(); i++) {
        assertEquals(i + 1, node.get(accounts.get(i)).path("balance").asLong());
      }
      List<ActorRef<Object>> before = node.listed().stream().map(ApplicationTree.Host::ref).toList();
      assertEquals(10, before.size());

      AgentReply.Installed installed = node.install(BankNode.V2_1, mode);
      assertEquals(BankNode.V2_1, installed.to());
      assertTrue(node.listed().stream().noneMatch(h -> before.contains(h.ref())),
          "no entity of 1.0.0 is left once the install returns: " + node.listed());
      for (String account : accounts) {
        JsonNode view = node.get(account);
        assertEquals(2, view.path("version").asInt(), account + " runs 2.1.0's code");
        assertEquals(0, view.path("balance").asLong(), account + " starts over: restart_application carries no state");
        assertEquals("EUR", view.path("currency").asText(), "2.0.0's start state");
        assertEquals(account, view.path("id").asText(), "started with its entity id");
      }
      assertEquals(10, node.listed().size());
    }
  }
}
