package dev.molt.testbundle.counter;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.spi.BehaviourContext;
import dev.molt.node.spi.ReleaseJson;
import dev.molt.node.spi.BaseBehaviour;
import dev.molt.protocol.envelope.Envelope;
import java.util.Map;

/** Counter v3: v2 plus a {@code history} field; default (soft) migrations, to and from v2 only. */
public final class Counter extends BaseBehaviour<Counter.State, Counter.Msg> {

  public record State(long total, long lastSeq, long gaps, long pongs, String label, long history) {}

  public interface Msg {}

  /** Schema 2 adds {@code amount}; schema-1 senders leave it out and mean 1. */
  public record Increment(long seq, Long amount) implements Msg {}

  public record Ping(long n) implements Msg {}

  public record Pong(long n) implements Msg {}

  public record Get(ActorRef<Envelope> replyTo) implements Msg {}

  public record Crash(String why) implements Msg {}

  public Counter() {
    super(3, State.class, Msg.class, Map.of("increment", Increment.class, "ping", Ping.class, "pong", Pong.class, "get", Get.class, "crash", Crash.class));
  }

  @Override
  public State initialState(JsonNode startArgument, ReleaseJson json) {
    return new State(0, 0, 0, 0, "unlabelled", 0);
  }

  @Override
  public State onMessage(BehaviourContext<Msg> ctx, State s, Msg message) {
    if (message instanceof Increment m) {
      long gaps = m.seq() == s.lastSeq() + 1 ? s.gaps() : s.gaps() + 1;
      long amount = m.amount() == null ? 1 : m.amount();
      return new State(s.total() + amount, m.seq(), gaps, s.pongs(), s.label(), s.history() + 1);
    } else if (message instanceof Ping m) {
      ctx.self().tell(new Pong(m.n()));
    } else if (message instanceof Pong) {
      return new State(s.total(), s.lastSeq(), s.gaps(), s.pongs() + 1, s.label(), s.history());
    } else if (message instanceof Get m) {
      // The reply says which version answered.
      ObjectNode view = (ObjectNode) ctx.json().toJson(s);
      ctx.reply(m.replyTo(), "counter", view.put("version", version()));
    } else if (message instanceof Crash m) {
      throw new IllegalStateException("crash requested: " + m.why());
    }
    return s;
  }

}
