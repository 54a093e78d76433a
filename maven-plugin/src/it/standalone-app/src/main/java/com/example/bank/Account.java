package com.example.bank;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.node.spi.BaseBehaviour;
import dev.molt.node.spi.BehaviourContext;
import dev.molt.node.spi.ReleaseJson;
import dev.molt.protocol.envelope.Envelope;
import java.util.Map;

/** One bank account, version 1: a balance changed by deposits. */
public final class Account extends BaseBehaviour<Account.State, Account.Msg> {

  public record State(String account, long balance) {}

  public interface Msg {}

  public record Deposit(long amount, ActorRef<Envelope> replyTo) implements Msg {}

  public record Balance(ActorRef<Envelope> replyTo) implements Msg {}

  public Account() {
    super(1, State.class, Msg.class, Map.of("deposit", Deposit.class, "balance", Balance.class));
  }

  @Override
  public State initialState(JsonNode startArgument, ReleaseJson json) {
    return new State(startArgument.asText("account"), 0);
  }

  @Override
  public State onMessage(BehaviourContext<Msg> ctx, State state, Msg message) {
    if (message instanceof Deposit deposit) {
      State after = new State(state.account(), state.balance() + deposit.amount());
      ctx.reply(deposit.replyTo(), "deposited", Map.of("account", after.account(), "balance", after.balance()));
      return after;
    }
    if (message instanceof Balance balance) {
      ctx.reply(balance.replyTo(), "balance", Map.of("account", state.account(), "balance", state.balance()));
    }
    return state;
  }
}
