package dev.molt.node.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.molt.node.agent.AgentCommand;
import dev.molt.node.agent.AgentReply;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.protocol.control.InstallMode;
import akka.actor.testkit.typed.javadsl.TestProbe;
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
  /** The vaults sort after "unlucky": in blocks of two they come after the failing block. */
  private static final List<String> ACCOUNTS = List.of("acc-0", "acc-1", "acc-2", "vault-0", "vault-1");

  /**
   * With no rehearsal the failure comes after the point of no return and every entity reverts; a
   * rehearsal sampling every entity refuses the install before anything changes. A pipelined
   * install in blocks of two changes and resumes acc-0 and acc-1 before the unlucky account's
   * block fails (hosts go in path order): they swap back, and none stays suspended. One block at
   * a time, the vaults after it are never asked; four at a time, their block may have changed
   * beside the failing one, and then it swapped back too.
   */
  @ParameterizedTest
  @CsvSource({"BARRIER, 0, true, 64, 4", "PIPELINED, 0, true, 64, 4", "PIPELINED, 0, true, 2, 1",
      "PIPELINED, 0, true, 2, 4", "BARRIER, 100, false, 64, 4", "PIPELINED, 100, false, 64, 4"})
  void aFailingEntityMigrationLeavesEveryEntityOnItsReleaseWithItsState(InstallMode mode, int samples, boolean reverted,
      int block, int blocksInFlight) {
    try (BankNode node = BankNode.runningV1("molt.install.rehearsal-samples = " + samples
        + "\nmolt.install.swaps-in-flight = " + block + "\nmolt.install.blocks-in-flight = " + blocksInFlight)) {
      AgentReply.Failed failed = installWithAnUnluckyAccount(node, mode);
      assertEquals(reverted, failed.reverted(), "reverted only after the point of no return: " + failed);
      assertTrue(failed.reason().contains("a balance of 1313 is unlucky"), failed.reason());
      assertOnV1WithBalances(node);
      if (mode == InstallMode.PIPELINED && reverted) {
        assertBlocksBeforeTheFailureChangedAndSwappedBack(node, block, blocksInFlight);
      }
    }
  }

  /**
   * Hosts go in path order, block by block: every host of the blocks before the unlucky account's
   * changed up and back (two code changes); its own block, whose preparation failed, never switched
   * and resumed on its code. With one block at a time the blocks after it were never asked; with
   * more, each either was not asked or changed and swapped back, never left changed once.
   */
  private static void assertBlocksBeforeTheFailureChangedAndSwappedBack(BankNode node, int block, int blocksInFlight) {
    List<ApplicationTree.Host> hosts = node.listed();
    int failedBlock = IntStream.range(0, hosts.size()).filter(i -> hosts.get(i).child().equals("unlucky")).findFirst()
        .orElseThrow() / block;
    TestProbe<HostReply> probe = node.molt.kit.createTestProbe(HostReply.class);
    for (int i = 0; i < hosts.size(); i++) {
      hosts.get(i).ref().tell(new HostCommand.GetStatus(probe.getRef()));
      HostReply.Status status = probe.expectMessageClass(HostReply.Status.class, Duration.ofSeconds(30));
      long changes = status.codeChanges();
      if (i / block > failedBlock && blocksInFlight > 1) {
        assertTrue(changes == 0 || changes == 2, hosts.get(i).path() + " changed " + changes + " time(s)");
      } else {
        assertEquals(i / block < failedBlock ? 2 : 0, changes, hosts.get(i).path());
      }
      assertEquals(false, status.suspended(), hosts.get(i).path());
    }
  }

  /** The accounts hold 100..104, the unlucky account 1313; the install of 2.0.0 fails. */
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
