package dev.molt.testbundle.bank;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.spi.BaseBehaviour;
import dev.molt.node.spi.BehaviourContext;
import dev.molt.node.spi.ReleaseJson;
import dev.molt.protocol.envelope.Envelope;
import java.util.Map;

/** Account v1: one actor per account id, a sharded entity and a tree's dynamic child. */
public final class Account extends BaseBehaviour<Account.State, Account.Msg> {

  public record State(String id, long balance, long deposits) {}

  public interface Msg {}

  public record Deposit(long amount) implements Msg {}

  public record Get(ActorRef<Envelope> replyTo) implements Msg {}

  /** Ends the actor (passivation for an entity) through BehaviourContext.stop(). */
  public record Close() implements Msg {}

  public Account() {
    super(1, State.class, Msg.class, Map.of("deposit", Deposit.class, "get", Get.class, "close", Close.class));
  }

  @Override
  public State initialState(JsonNode startArgument, ReleaseJson json) {
    return new State(startArgument.asText(), 0, 0);
  }

  @Override
  public State onMessage(BehaviourContext<Msg> ctx, State s, Msg message) {
    if (message instanceof Deposit d) {
      return new State(s.id(), s.balance() + d.amount(), s.deposits() + 1);
    } else if (message instanceof Get g) {
      ObjectNode view = (ObjectNode) ctx.json().toJson(s);
      ctx.reply(g.replyTo(), "account", view.put("version", version()));
    } else if (message instanceof Close) {
      ctx.stop();
    }
    return s;
  }
}
