package dev.molt.node.testing;

import akka.actor.typed.ActorRef;
import dev.molt.node.envelope.MessageType;
import dev.molt.node.host.HostActor;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import dev.molt.node.release.InvalidBundleException;
import dev.molt.node.release.LoadedRelease;
import dev.molt.protocol.envelope.Envelope;
import dev.molt.protocol.release.ReleaseId;
import java.time.Duration;
import java.util.Map;

/**
 * The ledger test bundles (written with the Akka-style SPI) as stable code sees them: its
 * accounts' typed view, and the steps the SPI tests take.
 */
public final class Ledger {
  public static final ReleaseId V1 = new ReleaseId("ledger", "1.0.0");
  public static final ReleaseId V2 = new ReleaseId("ledger", "2.0.0");

  /** An account's answer to "get": the release's {@code AccountView} record, read by its derived name. */
  public record AccountView(int version, long cents, long seen, int seenBy, long gone, String lastReason) {}

  public static final MessageType<AccountView> VIEW = MessageType.of(AccountView.class);

  private final MoltTestKit molt;

  public Ledger(MoltTestKit molt) {
    this.molt = molt;
  }

  /** Unpacks the ledger bundles of the given versions, making the first one current. */
  public void install(String... versions) {
    try {
      for (String version : versions) {
        LoadedRelease release = molt.registry().unpack(TestBundles.bundle("ledger", version));
        if (molt.registry().current("ledger").isEmpty()) {
          molt.registry().makeCurrent(release.id());
        }
      }
    } catch (InvalidBundleException e) {
      throw new AssertionError(e);
    }
  }

  public ActorRef<Object> account(String name) {
    return molt.kit.spawn(HostActor.create("account", null), name);
  }

  /** The account's view, through a typed ask as any stable client would. */
  public AccountView view(ActorRef<Object> account) {
    return molt.envelopes()
        .ask(account, VIEW, replyTo -> envelope("get", Map.of("replyTo", replyTo)), Duration.ofSeconds(15))
        .toCompletableFuture().join();
  }

  public Envelope envelope(String type, Object payload) {
    return molt.envelopes().of(type, 1, payload);
  }

  public void swap(ActorRef<Object> account, ReleaseId target) {
    molt.ask(account, replyTo -> new HostCommand.Swap(target, null, replyTo), HostReply.Changed.class);
  }
}
