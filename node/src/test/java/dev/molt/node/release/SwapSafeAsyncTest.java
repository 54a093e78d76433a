package dev.molt.node.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import dev.molt.node.testing.Ledger;
import dev.molt.node.testing.MoltTestKit;
import dev.molt.protocol.envelope.Envelope;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ask, pipeToSelf and watch across a swap: what arrives after it meets the new code, as data, and
 * nothing pending keeps the old release's class loader alive (PurgeTest's check).
 */
class SwapSafeAsyncTest {
  private MoltTestKit molt;
  private Ledger ledger;

  @BeforeEach
  void start() {
    molt = MoltTestKit.create();
    ledger = new Ledger(molt);
    ledger.install("1.0.0", "2.0.0");
  }

  @AfterEach
  void stop() {
    molt.close();
  }

  @Test
  void anAskPendingAtTheSwapIsAnsweredToTheNewCodeAndTheOldLoaderIsCollected() throws Exception {
    WeakReference<ClassLoader> v1 = weakLoaderOf(Ledger.V1);
    ActorRef<Object> asker = ledger.account("asker");
    ActorRef<Object> asked = ledger.account("asked");
    asked.tell(ledger.envelope("deposit", Map.of("from", "test", "cents", 300)));
    // The asked account holds the question until the asker has moved on to v2.
    molt.ask(asked, HostCommand.Suspend::new, HostReply.Done.class);
    asker.tell(ledger.envelope("lookup", Map.of("of", asked, "timeoutMillis", 600_000)));
    ledger.swap(asker, Ledger.V2);
    molt.ask(asked, replyTo -> new HostCommand.ChangeCode(Ledger.V2, null, replyTo), HostReply.Changed.class);
    molt.ask(asked, HostCommand.Resume::new, HostReply.Done.class);

    // The answer goes through the ask's promise to the asker, not after the test's next question.
    TestProbe<Object> probe = molt.kit.createTestProbe();
    probe.awaitAssert(() -> {
      assertEquals(new Ledger.AccountView(2, 0, 300, 2, 0, ""), ledger.view(asker), "the answer (300) was taken by v2");
      return null;
    });
    assertOldLoaderCollected(v1);
  }

  @Test
  void anAskWithoutAnAnswerDeliversItsFailureWithTheReason() {
    ActorRef<Object> asker = ledger.account("asker");
    ActorRef<Envelope> silent = molt.kit.spawn(Behaviors.<Envelope>ignore(), "silent");
    asker.tell(ledger.envelope("lookup", Map.of("of", silent, "timeoutMillis", 200)));

    TestProbe<Object> probe = molt.kit.createTestProbe();
    String reason = probe.awaitAssert(() -> {
      String lastReason = ledger.view(asker).lastReason();
      assertTrue(lastReason.startsWith("asking " + silent.path() + " failed: TimeoutException: "), lastReason);
      return lastReason;
    });
    assertTrue(reason.contains("had already been terminated") || reason.contains("timed out"), reason);
  }

  @Test
  void aResultPipedBeforeTheSwapIsHandedToTheNewCodeAsDataAndTheOldLoaderIsCollected() throws Exception {
    WeakReference<ClassLoader> v1 = weakLoaderOf(Ledger.V1);
    ActorRef<Object> account = ledger.account("piped");
    pipeAcrossASwap(account, 70, Ledger.V2);

    assertEquals(new Ledger.AccountView(2, 70, 0, 0, 0, ""), ledger.view(account),
        "v1's Deposit{cents: 70} was read by v2 as a Deposit{amount: 70 EUR}");
    assertOldLoaderCollected(v1);
  }

  @Test
  void aResultOfTheNewerVersionAfterADowngradeIsWrittenInTheShapeTheOlderReads() {
    ActorRef<Object> account = ledger.account("down");
    ledger.swap(account, Ledger.V2);
    pipeAcrossASwap(account, 90, Ledger.V1);

    assertEquals(new Ledger.AccountView(1, 90, 0, 0, 0, ""), ledger.view(account),
        "v2's Deposit{amount: 90 EUR} was written down for v1 as Deposit{cents: 90}");
  }

  @Test
  void aWatchSurvivesTheSwapAndItsNoticeIsReadByTheNewCode() throws Exception {
    WeakReference<ClassLoader> v1 = weakLoaderOf(Ledger.V1);
    ActorRef<Object> account = ledger.account("watcher");
    ActorRef<Envelope> other = molt.kit.spawn(Behaviors.<Envelope>receiveMessage(m -> Behaviors.stopped()), "other");
    account.tell(ledger.envelope("watch", Map.of("other", other)));
    assertEquals(1, ledger.view(account).version());
    ledger.swap(account, Ledger.V2);
    other.tell(ledger.envelope("stop", Map.of()));

    TestProbe<Object> probe = molt.kit.createTestProbe();
    probe.awaitAssert(() -> {
      assertEquals(new Ledger.AccountView(2, 0, 0, 0, 1, "gone: other"), ledger.view(account));
      return null;
    });
    assertOldLoaderCollected(v1);
  }

  /**
   * The account pipes a deposit of {@code cents} to itself from a future that completes (the gate
   * a test opens) only after it has swapped to {@code target}.
   */
  private void pipeAcrossASwap(ActorRef<Object> account, long cents, dev.molt.protocol.release.ReleaseId target) {
    CompletableFuture<Boolean> gate = new CompletableFuture<>();
    String key = "ledger.gate." + account.path().name();
    System.getProperties().put(key, gate);
    try {
      account.tell(ledger.envelope("later", Map.of("gate", key, "cents", cents)));
      assertEquals(0, ledger.view(account).cents(), "nothing yet: the gate is closed");
      ledger.swap(account, target);
      gate.complete(true);
    } finally {
      System.getProperties().remove(key);
    }
  }

  private void assertOldLoaderCollected(WeakReference<ClassLoader> v1) throws Exception {
    molt.registry().makeCurrent(Ledger.V2);
    molt.registry().purge(Ledger.V1);
    PurgeTest.assertCollected(v1, "v1's class loader is still reachable after the swap with a pending operation");
  }

  // Kept out of the test methods so that no local variable holds the release.
  private WeakReference<ClassLoader> weakLoaderOf(dev.molt.protocol.release.ReleaseId id) {
    return new WeakReference<>(molt.registry().find(id).orElseThrow().loader());
  }
}
