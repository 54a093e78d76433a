package dev.molt.node.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.molt.node.release.InvalidBundleException;
import dev.molt.node.testing.Ledger;
import dev.molt.node.testing.MoltTestKit;
import dev.molt.node.testing.TestBundles;
import dev.molt.protocol.envelope.Envelope;
import dev.molt.protocol.envelope.Rejection;
import dev.molt.protocol.release.ReleaseId;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Akka-style SPI ({@code MoltBehaviour}) as a user meets it, through the ledger bundles: a
 * receive builder, typed replies, the version from the descriptor, message names from the classes.
 */
class AkkaStyleSpiTest {
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
  void handlersOfTheReceiveBuilderRunAndTheReplyIsReadAsATypedRecord() {
    ActorRef<Object> account = ledger.account("acc-1");
    account.tell(ledger.envelope("deposit", Map.of("from", "test", "cents", 40)));
    account.tell(ledger.envelope("deposit", Map.of("from", "test", "cents", 2)));

    Ledger.AccountView view = ledger.view(account);
    assertEquals(new Ledger.AccountView(1, 42, 0, 0, 0, ""), view);
  }

  @Test
  void anUnhandledMessageIsRefusedToItsSenderAndCountedAndTheActorGoesOn() {
    ActorRef<Object> account = ledger.account("acc-2");
    TestProbe<Envelope> sender = molt.kit.createTestProbe(Envelope.class);
    account.tell(ledger.envelope("ignored", Map.of("replyTo", sender.getRef())));

    Rejection rejection = molt.envelopes().read(sender.receiveMessage(), Envelope.REJECTED, Rejection.class);
    assertEquals(new Rejection("ignored", "no handler for a Ignored in account v1 (ledger-1.0.0)"), rejection);
    assertEquals(1, molt.registry().counters().unhandledMessages());
    assertEquals(1, molt.registry().counters().rejectedMessages());
    account.tell(ledger.envelope("deposit", Map.of("from", "test", "cents", 5)));
    assertEquals(5, ledger.view(account).cents(), "the actor still serves");
  }

  @Test
  void aTypedAskSaysWhatArrivedInsteadOfTheExpectedReply() {
    ActorRef<Object> account = ledger.account("acc-3");
    CompletionException failed = assertThrows(CompletionException.class, () -> molt.envelopes()
        .ask(account, Ledger.VIEW, replyTo -> ledger.envelope("audit", Map.of("replyTo", replyTo)), Duration.ofSeconds(15))
        .toCompletableFuture().join());
    assertTrue(failed.getCause() instanceof IllegalArgumentException, failed.toString());
    assertEquals("expected 'account-view' but the message 'audit' was rejected: unknown message type 'audit' for "
        + "account v1 (ledger-1.0.0) (it knows [account-view, deposit, get, ignored, later, lookup, lookup-failed, "
        + "peer-gone, send, transfer, watch])", failed.getCause().getMessage());
  }

  @Test
  void theVersionComesFromTheDescriptor() {
    ActorRef<Object> account = ledger.account("acc-4");
    assertEquals(1, ledger.view(account).version());
    ledger.swap(account, Ledger.V2);
    assertEquals(2, ledger.view(account).version(), "v2 does not repeat its version in code");
    assertEquals(2, molt.registry().find(Ledger.V2).orElseThrow().behaviour("audit").orElseThrow().version(),
        "@Version(2) and the descriptor's 2 agree");
  }

  @Test
  void aVersionOnTheClassThatDisagreesWithTheDescriptorIsRefusedAtUnpack() {
    InvalidBundleException refused = assertThrows(InvalidBundleException.class,
        () -> molt.registry().unpack(TestBundles.bundle("ledger", "2.9.0")));
    assertEquals("invalid bundle ledger-2.9.0.molt: behaviour 'audit' (dev.molt.testbundle.ledger.Audit): "
        + "dev.molt.testbundle.ledger.Audit says @Version(2) but the release descriptor says version 3: give the "
        + "version in one place (the descriptor), or make both agree", refused.getMessage());
    assertFalse(molt.registry().find(new ReleaseId("ledger", "2.9.0")).isPresent(), "nothing loaded");
    assertEquals(2, molt.registry().store().list().size(), "nothing stored but 1.0.0 and 2.0.0");
  }
}
