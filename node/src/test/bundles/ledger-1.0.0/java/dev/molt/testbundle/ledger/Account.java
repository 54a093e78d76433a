package dev.molt.testbundle.ledger;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.node.spi.BehaviourContext;
import dev.molt.node.spi.MoltBehaviour;
import dev.molt.node.spi.Receive;
import dev.molt.node.spi.ReleaseJson;
import dev.molt.protocol.envelope.Envelope;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Account v1, written with the Akka-style SPI: receive builder, sealed messages named from their
 * classes, version from the descriptor, ask / pipeToSelf / watch.
 */
public final class Account extends MoltBehaviour<Account.State, Account.Msg> {

  /** {@code seen}: the balance another account answered to a lookup; {@code by}: which version took it. */
  public record State(long cents, long seen, int seenBy, long gone, String lastReason) {}

  public sealed interface Msg {}

  /** Schema 1: a flat amount in cents. */
  public record Deposit(String from, long cents) implements Msg {}

  /** Deposits {@code cents} into {@code to}, an account of any version, as data. */
  public record Send(ActorRef<Envelope> to, long cents) implements Msg {}

  /**
   * Moves {@code cents} to the account entity {@code to}, wherever it lives (through sharding, as a
   * {@link Deposit} written in the cluster's write floor): a message that crosses entities and nodes.
   */
  public record Transfer(String to, long cents) implements Msg {}

  public record Get(ActorRef<Envelope> replyTo) implements Msg {}

  /** The typed reply to {@link Get}; also what a {@link Lookup} gets back. */
  public record AccountView(int version, long cents, long seen, int seenBy, long gone, String lastReason)
      implements Msg {}

  /** Asks {@code of} for its view. */
  public record Lookup(ActorRef<Envelope> of, long timeoutMillis) implements Msg {}

  public record LookupFailed(String reason) implements Msg {}

  /** Deposits {@code cents} once the gate a test put in the system properties under {@code gate} opens. */
  public record Later(String gate, long cents) implements Msg {}

  public record Watch(ActorRef<Envelope> other) implements Msg {}

  public record PeerGone(String who) implements Msg {}

  /** No handler takes it: an unhandled message. */
  public record Ignored(ActorRef<Envelope> replyTo) implements Msg {}

  public Account() {
    super(State.class, Msg.class);
  }

  @Override
  public State initialState(JsonNode startArgument, ReleaseJson json) {
    return new State(0, 0, 0, 0, "");
  }

  @Override
  protected Receive<State, Msg> createReceive() {
    return newReceiveBuilder()
        .on(Deposit.class, (ctx, s, m) -> new State(s.cents() + m.cents(), s.seen(), s.seenBy(), s.gone(), s.lastReason()))
        .on(Send.class, this::send)
        .on(Transfer.class, this::transfer)
        .on(Get.class, this::get)
        .on(Lookup.class, this::lookup)
        .on(AccountView.class, (ctx, s, m) -> new State(s.cents(), m.cents(), ctx.version(), s.gone(), s.lastReason()))
        .on(LookupFailed.class, (ctx, s, m) -> new State(s.cents(), s.seen(), s.seenBy(), s.gone(), m.reason()))
        .on(Later.class, this::later)
        .on(Watch.class, (ctx, s, m) -> {
          ctx.watch(m.other(), new PeerGone(m.other().path().name()));
          return s;
        })
        .on(PeerGone.class, (ctx, s, m) -> new State(s.cents(), s.seen(), s.seenBy(), s.gone() + 1, "gone: " + m.who()))
        .build();
  }

  private State send(BehaviourContext<Msg> ctx, State s, Send m) {
    ctx.tell(m.to(), new Deposit(ctx.self().path().name(), m.cents()));
    return new State(s.cents() - m.cents(), s.seen(), s.seenBy(), s.gone(), s.lastReason());
  }

  private State transfer(BehaviourContext<Msg> ctx, State s, Transfer m) {
    ctx.tellEntity("account", m.to(), new Deposit(ctx.self().path().name(), m.cents()));
    return new State(s.cents() - m.cents(), s.seen(), s.seenBy(), s.gone(), s.lastReason());
  }

  private State get(BehaviourContext<Msg> ctx, State s, Get m) {
    ctx.reply(m.replyTo(), new AccountView(ctx.version(), s.cents(), s.seen(), s.seenBy(), s.gone(), s.lastReason()));
    return s;
  }

  private State lookup(BehaviourContext<Msg> ctx, State s, Lookup m) {
    ctx.ask(m.of(), Get::new, Duration.ofMillis(m.timeoutMillis()), new LookupFailed(""));
    return s;
  }

  private State later(BehaviourContext<Msg> ctx, State s, Later m) {
    CompletableFuture<?> gate = (CompletableFuture<?>) System.getProperties().get(m.gate());
    ctx.pipeToSelf(gate.thenApply(opened -> new Deposit("later", m.cents())), new LookupFailed(""));
    return s;
  }
}
