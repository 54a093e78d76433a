package dev.molt.node.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.molt.node.agent.AgentCommand;
import dev.molt.node.agent.AgentReply;
import dev.molt.protocol.control.InstallMode;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An entity whose migration fails (bank 2.0.0 refuses a balance of 1313): the rehearsal refuses the
 * install while nothing changed when it samples that entity; past the point of no return the
 * install reverts every entity to 1.0.0 with its state.
 */
class EntityRevertTest {
  private static final List<String> ACCOUNTS = IntStream.range(0, 5).mapToObj(i -> "acc-" + i).toList();

  @ParameterizedTest
  @EnumSource(InstallMode.class)
  void aFailedEntityMigrationAfterThePointOfNoReturnRevertsEveryEntity(InstallMode mode) {
    try (BankNode node = BankNode.runningV1("molt.install.rehearsal-samples = 0")) {
      AgentReply.Failed failed = installWithAnUnluckyAccount(node, mode);
      assertTrue(failed.reverted(), "reverted after the point of no return: " + failed);
      assertTrue(failed.reason().contains("a balance of 1313 is unlucky"), failed.reason());
      assertOnV1WithBalances(node);
    }
  }

  @ParameterizedTest
  @EnumSource(InstallMode.class)
  void theRehearsalSamplesEntitiesAndRefusesBeforeAnythingChanges(InstallMode mode) {
    try (BankNode node = BankNode.runningV1("molt.install.rehearsal-samples = 100")) {
      AgentReply.Failed failed = installWithAnUnluckyAccount(node, mode);
      assertFalse(failed.reverted(), "refused before the point of no return: " + failed);
      assertTrue(failed.reason().contains("a balance of 1313 is unlucky"), failed.reason());
      assertOnV1WithBalances(node);
    }
  }

  /** acc-0..acc-4 hold 100..104, the unlucky account 1313; the install of 2.0.0 fails. */
  private static AgentReply.Failed installWithAnUnluckyAccount(BankNode node, InstallMode mode) {
    for (int i = 0; i < ACCOUNTS.size(); i++) {
      node.deposit(ACCOUNTS.get(i), 100 + i);
    }
    node.deposit("unlucky", 1313);
    assertEquals(1313, node.get("unlucky").path("balance").asLong());
    ACCOUNTS.forEach(node::get);
    return node.expect(AgentReply.Failed.class,
        node.ask(r -> new AgentCommand.Install(BankNode.V2, mode, r), Duration.ofMinutes(2)));
  }

  private static void assertOnV1WithBalances(BankNode node) {
    for (int i = 0; i < ACCOUNTS.size(); i++) {
      assertEquals(1, node.get(ACCOUNTS.get(i)).path("version").asInt(), ACCOUNTS.get(i));
      assertEquals(100 + i, node.get(ACCOUNTS.get(i)).path("balance").asLong(), ACCOUNTS.get(i));
    }
    assertEquals(1313, node.get("unlucky").path("balance").asLong());
    assertEquals(1, node.get("unlucky").path("version").asInt());
  }
}
