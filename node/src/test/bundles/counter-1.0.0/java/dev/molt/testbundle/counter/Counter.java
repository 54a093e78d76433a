package dev.molt.testbundle.counter;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.spi.BehaviourContext;
import dev.molt.node.spi.ReleaseJson;
import dev.molt.node.spi.BaseBehaviour;
import dev.molt.protocol.envelope.Envelope;
import java.util.Map;

/** Counter v1: counts sequence-numbered increments and notices gaps or reordering. */
public final class Counter extends BaseBehaviour<Counter.State, Counter.Msg> {

  public record State(long count, long lastSeq, long gaps, long pongs) {}

  public interface Msg {}

  public record Increment(long seq) implements Msg {}

  /** Makes the actor send itself a Pong: a release object in its own mailbox. */
  public record Ping(long n) implements Msg {}

  public record Pong(long n) implements Msg {}

  public record Get(ActorRef<Envelope> replyTo) implements Msg {}

  public record Crash(String why) implements Msg {}

  /** Replies whether the thread's context class loader is this release's own. */
  public record Tccl(ActorRef<Envelope> replyTo) implements Msg {}

  /** Touches a class the build deletes from the jar: a NoClassDefFoundError, a LinkageError. */
  public record Link() implements Msg {}

  public Counter() {
    super(1, State.class, Msg.class, Map.of("increment", Increment.class, "ping", Ping.class, "pong", Pong.class, "get", Get.class, "crash", Crash.class, "tccl", Tccl.class, "link", Link.class));
  }

  @Override
  public State initialState(JsonNode startArgument, ReleaseJson json) {
    return new State(0, 0, 0, 0);
  }

  @Override
  public State onMessage(BehaviourContext<Msg> ctx, State s, Msg message) {
    if (message instanceof Increment m) {
      long gaps = m.seq() == s.lastSeq() + 1 ? s.gaps() : s.gaps() + 1;
      return new State(s.count() + 1, m.seq(), gaps, s.pongs());
    } else if (message instanceof Ping m) {
      ctx.self().tell(new Pong(m.n()));
    } else if (message instanceof Pong) {
      return new State(s.count(), s.lastSeq(), s.gaps(), s.pongs() + 1);
    } else if (message instanceof Get m) {
      // The reply says which version answered.
      ObjectNode view = (ObjectNode) ctx.json().toJson(s);
      ctx.reply(m.replyTo(), "counter", view.put("version", version()));
    } else if (message instanceof Crash m) {
      throw new IllegalStateException("crash requested: " + m.why());
    } else if (message instanceof Tccl m) {
      boolean own = Thread.currentThread().getContextClassLoader() == Counter.class.getClassLoader();
      ctx.reply(m.replyTo(), "tccl", Map.of("own", own));
    } else if (message instanceof Link) {
      return new State(s.count() + Missing.touch(), s.lastSeq(), s.gaps(), s.pongs());
    }
    return s;
  }
}
