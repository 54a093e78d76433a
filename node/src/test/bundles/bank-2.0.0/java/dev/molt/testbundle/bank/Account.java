package dev.molt.testbundle.bank;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.spi.BaseBehaviour;
import dev.molt.node.spi.BehaviourContext;
import dev.molt.node.spi.ReleaseJson;
import dev.molt.protocol.envelope.Envelope;
import java.util.Map;

/** Account v2: adds {@code currency}, set by the up-migration (from {@code extra.currency}, else EUR). */
public final class Account extends BaseBehaviour<Account.State, Account.Msg> {

  public record State(String id, long balance, long deposits, String currency) {}

  public interface Msg {}

  public record Deposit(long amount) implements Msg {}

  public record Get(ActorRef<Envelope> replyTo) implements Msg {}

  /** Ends the actor (passivation for an entity) through BehaviourContext.stop(). */
  public record Close() implements Msg {}

  public Account() {
    super(2, State.class, Msg.class, Map.of("deposit", Deposit.class, "get", Get.class, "close", Close.class));
  }

  @Override
  public State initialState(JsonNode startArgument, ReleaseJson json) {
    return new State(startArgument.asText(), 0, 0, "EUR");
  }

  @Override
  public State onMessage(BehaviourContext<Msg> ctx, State s, Msg message) {
    if (message instanceof Deposit d) {
      return new State(s.id(), s.balance() + d.amount(), s.deposits() + 1, s.currency());
    } else if (message instanceof Get g) {
      ObjectNode view = (ObjectNode) ctx.json().toJson(s);
      ctx.reply(g.replyTo(), "account", view.put("version", version()));
    } else if (message instanceof Close) {
      ctx.stop();
    }
    return s;
  }

  @Override
  public State migrateUp(int fromVersion, JsonNode old, JsonNode extra, ReleaseJson json) {
    String currency = old.hasNonNull("currency") ? old.get("currency").asText() : extra.path("currency").asText("EUR");
    return new State(old.path("id").asText(), old.path("balance").asLong(), old.path("deposits").asLong(), currency);
  }
}
