package dev.molt.node.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.node.agent.AgentReply;
import dev.molt.protocol.control.InstallMode;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Installs find, count and change sharded entities as they do tree children. */
class EntityInstallTest {

  @ParameterizedTest
  @EnumSource(InstallMode.class)
  void installsUpgradeAndDowngradeLiveEntitiesWithTheirState(InstallMode mode) {
    try (BankNode node = BankNode.runningV1()) {
      List<String> accounts = IntStream.range(0, 20).mapToObj(i -> "acc-" + i).toList();
      for (int i = 0; i < accounts.size(); i++) {
        node.deposit(accounts.get(i), i + 1);
      }
      accounts.forEach(a -> assertEquals(1, node.get(a).path("version").asInt(), a));
      assertEquals(20, node.listed().size());

      AgentReply.Installed up = node.install(BankNode.V2, mode);
      assertEquals(20, up.actors(), "every live entity counted by the install");
      for (int i = 0; i < accounts.size(); i++) {
        JsonNode view = node.get(accounts.get(i));
        assertEquals(2, view.path("version").asInt());
        assertEquals(i + 1, view.path("balance").asLong(), "state kept across the upgrade");
        assertEquals("EUR", view.path("currency").asText(), "field added by 2.0.0's migration");
      }

      AgentReply.Installed down = node.install(BankNode.V1, mode);
      assertEquals(20, down.actors());
      for (int i = 0; i < accounts.size(); i++) {
        JsonNode view = node.get(accounts.get(i));
        assertEquals(1, view.path("version").asInt());
        assertEquals(i + 1, view.path("balance").asLong(), "state kept across the downgrade");
        assertTrue(view.path("currency").isMissingNode(), "1.0.0 has no currency: " + view);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(InstallMode.class)
  void entitiesStartedDuringAnInstallEndOnTheNewCode(InstallMode mode) throws Exception {
    try (BankNode node = BankNode.runningV1()) {
      List<String> before = IntStream.range(0, 50).mapToObj(i -> "old-" + i).toList();
      before.forEach(a -> node.deposit(a, 1));
      before.forEach(node::get);
      List<String> during = IntStream.range(0, 300).mapToObj(i -> "new-" + i).toList();
      // Entities start while the install runs: each is either listed before 2.0.0 becomes current
      // (and changed by the install) or starts on 2.0.0.
      Thread starter = new Thread(() -> during.forEach(a -> node.deposit(a, 7)));
      starter.start();
      node.install(BankNode.V2, mode);
      starter.join();
      for (String account : during) {
        JsonNode view = node.get(account);
        assertEquals(2, view.path("version").asInt(), account + " runs the new code");
        assertEquals(7, view.path("balance").asLong(), account + " kept its deposit");
      }
      before.forEach(a -> assertEquals(2, node.get(a).path("version").asInt(), a));
    }
  }

  @org.junit.jupiter.api.Test
  void aPassivatedEntityComesBackOnTheCurrentReleaseWithItsStartState() {
    try (BankNode node = BankNode.runningV1()) {
      node.deposit("acc-1", 100);
      assertEquals(100, node.get("acc-1").path("balance").asLong());
      node.close("acc-1");
      node.molt.kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
        assertTrue(node.listed().isEmpty(), "passivated: " + node.listed());
        return null;
      });
      assertEquals(0, node.install(BankNode.V2, InstallMode.BARRIER).actors(), "nothing live to change");
      JsonNode view = node.get("acc-1");
      assertEquals(2, view.path("version").asInt(), "restarted on the current release");
      assertEquals(0, view.path("balance").asLong(), "with its start state");
      assertEquals("acc-1", view.path("id").asText(), "started with its entity id");
    }
  }
}
