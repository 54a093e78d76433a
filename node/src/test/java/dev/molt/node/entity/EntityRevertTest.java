package dev.molt.node.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.molt.node.agent.AgentCommand;
import dev.molt.node.agent.AgentReply;
import dev.molt.protocol.control.InstallMode;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An entity whose migration fails (bank 2.0.0 refuses a balance of 1313): the rehearsal refuses the
 * install while nothing changed when it samples that entity; past the point of no return the
 * install reverts every entity to 1.0.0 with its state.
 */
class EntityRevertTest {
  private static final List<String> ACCOUNTS = IntStream.range(0, 5).mapToObj(i -> "acc-" + i).toList();

  /**
   * With no rehearsal the failure comes after the point of no return and every entity reverts; a
   * rehearsal sampling every entity refuses the install before anything changes.
   */
  @ParameterizedTest
  @CsvSource({"BARRIER, 0, true", "PIPELINED, 0, true", "BARRIER, 100, false", "PIPELINED, 100, false"})
  void aFailingEntityMigrationLeavesEveryEntityOnItsReleaseWithItsState(InstallMode mode, int samples, boolean reverted) {
    try (BankNode node = BankNode.runningV1("molt.install.rehearsal-samples = " + samples)) {
      AgentReply.Failed failed = installWithAnUnluckyAccount(node, mode);
      assertEquals(reverted, failed.reverted(), "reverted only after the point of no return: " + failed);
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
