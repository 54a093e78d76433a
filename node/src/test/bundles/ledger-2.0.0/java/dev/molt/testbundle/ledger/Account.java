package dev.molt.testbundle.ledger;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.spi.BehaviourContext;
import dev.molt.node.spi.MoltBehaviour;
import dev.molt.node.spi.Receive;
import dev.molt.node.spi.ReleaseJson;
import dev.molt.protocol.envelope.Envelope;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Account v2: a deposit's amount is now a {@link Money} (schema 2). It reads schema-1 deposits
 * (up) and writes them for v1 under a schema floor (down).
 */
public final class Account extends MoltBehaviour<Account.State, Account.Msg> {

  /**
   * {@code seen}: the balance another account answered to a lookup; {@code by}: which version took
   * it; {@code lastCurrency}: the currency of the last deposit taken (EUR for a schema-1 deposit,
   * which has none), so a test sees which schema a deposit was written in.
   */
  public record State(long cents, long seen, int seenBy, long gone, String lastReason, String lastCurrency) {}

  public sealed interface Msg {}

  public record Money(long cents, String currency) {}

  /** Schema 2: the amount with its currency (schema 1: {@code {from, cents}}). */
  public record Deposit(String from, Money amount) implements Msg {}

  /** Deposits {@code cents} into {@code to}, an account of any version, as data. */
  public record Send(ActorRef<Envelope> to, long cents) implements Msg {}

  /**
   * Moves {@code cents} in {@code currency} (EUR when absent, as v1 sends none) to the account
   * entity {@code to}, wherever it lives, as a {@link Deposit} written in the cluster's write floor.
   */
  public record Transfer(String to, long cents, String currency) implements Msg {}

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
    return new State(0, 0, 0, 0, "", "");
  }

  @Override
  protected Receive<State, Msg> createReceive() {
    return newReceiveBuilder()
        .on(Deposit.class, (ctx, s, m) -> new State(s.cents() + m.amount().cents(), s.seen(), s.seenBy(), s.gone(),
            s.lastReason(), m.amount().currency()))
        .on(Send.class, this::send)
        .on(Transfer.class, this::transfer)
        .on(Get.class, this::get)
        .on(Lookup.class, this::lookup)
        .on(AccountView.class, (ctx, s, m) -> new State(s.cents(), m.cents(), ctx.version(), s.gone(), s.lastReason(), s.lastCurrency()))
        .on(LookupFailed.class, (ctx, s, m) -> new State(s.cents(), s.seen(), s.seenBy(), s.gone(), m.reason(), s.lastCurrency()))
        .on(Later.class, this::later)
        .on(Watch.class, (ctx, s, m) -> {
          ctx.watch(m.other(), new PeerGone(m.other().path().name()));
          return s;
        })
        .on(PeerGone.class, (ctx, s, m) -> new State(s.cents(), s.seen(), s.seenBy(), s.gone() + 1, "gone: " + m.who(), s.lastCurrency()))
        .build();
  }

  private State send(BehaviourContext<Msg> ctx, State s, Send m) {
    ctx.tell(m.to(), new Deposit(ctx.self().path().name(), new Money(m.cents(), "EUR")));
    return new State(s.cents() - m.cents(), s.seen(), s.seenBy(), s.gone(), s.lastReason(), s.lastCurrency());
  }

  private State transfer(BehaviourContext<Msg> ctx, State s, Transfer m) {
    String currency = m.currency() == null || m.currency().isEmpty() ? "EUR" : m.currency();
    ctx.tellEntity("account", m.to(), new Deposit(ctx.self().path().name(), new Money(m.cents(), currency)));
    return new State(s.cents() - m.cents(), s.seen(), s.seenBy(), s.gone(), s.lastReason(), s.lastCurrency());
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
    ctx.pipeToSelf(gate.thenApply(opened -> new Deposit("later", new Money(m.cents(), "EUR"))), new LookupFailed(""));
    return s;
  }

  @Override
  public JsonNode migrateMessageUp(String type, int fromSchema, JsonNode payload, ReleaseJson json) {
    if (!type.equals("deposit")) {
      return payload;
    }
    ObjectNode v2 = json.newObject().put("from", payload.path("from").asText());
    v2.putObject("amount").put("cents", payload.path("cents").asLong()).put("currency", "EUR");
    return v2;
  }

  @Override
  public JsonNode migrateMessageDown(String type, int toSchema, JsonNode payload, ReleaseJson json) {
    if (!type.equals("deposit")) {
      return payload;
    }
    return json.newObject().put("from", payload.path("from").asText()).put("cents", payload.path("amount").path("cents").asLong());
  }
}
