package dev.molt.testbundle.bank;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.spi.BaseBehaviour;
import dev.molt.node.spi.BehaviourContext;
import dev.molt.node.spi.ReleaseJson;
import dev.molt.protocol.envelope.Envelope;
import java.util.Map;

/**
 * A vault per id, the behaviour and entity type {@code vault} that bank 3.0.0 declares and 2.0.0
 * does not (2.0.0's jar carries the class unused): a type added, then dropped by the downgrade.
 */
public final class Vault extends BaseBehaviour<Vault.State, Vault.Msg> {

  public record State(String id, long stored) {}

  public interface Msg {}

  public record Store(long amount) implements Msg {}

  public record Get(ActorRef<Envelope> replyTo) implements Msg {}

  public Vault() {
    super(1, State.class, Msg.class, Map.of("store", Store.class, "get", Get.class));
  }

  @Override
  public State initialState(JsonNode startArgument, ReleaseJson json) {
    return new State(startArgument.asText(), 0);
  }

  @Override
  public State onMessage(BehaviourContext<Msg> ctx, State s, Msg message) {
    if (message instanceof Store store) {
      return new State(s.id(), s.stored() + store.amount());
    } else if (message instanceof Get g) {
      ObjectNode view = (ObjectNode) ctx.json().toJson(s);
      ctx.reply(g.replyTo(), "vault", view.put("version", version()));
    }
    return s;
  }
}
