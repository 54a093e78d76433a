package dev.molt.testbundle.counter;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.spi.BehaviourContext;
import dev.molt.node.spi.ReleaseJson;
import dev.molt.node.spi.BaseBehaviour;
import dev.molt.protocol.envelope.Envelope;
import java.util.Map;

/** Counter v2: {@code count} is renamed {@code total}, and a {@code label} is added. */
public final class Counter extends BaseBehaviour<Counter.State, Counter.Msg> {

  public record State(long total, long lastSeq, long gaps, long pongs, String label) {}

  public interface Msg {}

  /** Schema 2 adds {@code amount}; schema-1 senders leave it out and mean 1. */
  public record Increment(long seq, Long amount) implements Msg {}

  public record Ping(long n) implements Msg {}

  public record Pong(long n) implements Msg {}

  public record Get(ActorRef<Envelope> replyTo) implements Msg {}

  public record Crash(String why) implements Msg {}

  static final long UNLUCKY = 13;

  public Counter() {
    super(2, State.class, Msg.class, Map.of("increment", Increment.class, "ping", Ping.class, "pong", Pong.class, "get", Get.class, "crash", Crash.class));
  }

  @Override
  public State initialState(JsonNode startArgument, ReleaseJson json) {
    if (startArgument != null && "fail-on-start".equals(startArgument.asText())) {
      // counter-2.7.0's audit application: a child that never starts, so the application does not.
      throw new IllegalStateException("start argument fail-on-start: this counter refuses to start");
    }
    return new State(0, 0, 0, 0, "unlabelled");
  }

  @Override
  public State onMessage(BehaviourContext<Msg> ctx, State s, Msg message) {
    if (message instanceof Increment m) {
      long gaps = m.seq() == s.lastSeq() + 1 ? s.gaps() : s.gaps() + 1;
      long amount = m.amount() == null ? 1 : m.amount();
      return new State(s.total() + amount, m.seq(), gaps, s.pongs(), s.label());
    } else if (message instanceof Ping m) {
      ctx.self().tell(new Pong(m.n()));
    } else if (message instanceof Pong) {
      return new State(s.total(), s.lastSeq(), s.gaps(), s.pongs() + 1, s.label());
    } else if (message instanceof Get m) {
      // The reply says which version answered.
      ObjectNode view = (ObjectNode) ctx.json().toJson(s);
      ctx.reply(m.replyTo(), "counter", view.put("version", version()));
    } else if (message instanceof Crash m) {
      throw new IllegalStateException("crash requested: " + m.why());
    }
    return s;
  }

  @Override
  public State migrateUp(int fromVersion, JsonNode old, JsonNode extra, ReleaseJson json) throws Exception {
    if (extra.path("fail").asBoolean(false)) {
      throw new IllegalStateException("migration refused: extra.fail is set");
    }
    if (extra.path("serviceError").asBoolean(false)) {
      // An Error that is neither a linkage error nor a JVM failure, as ServiceLoader throws for a bad provider.
      throw new java.util.ServiceConfigurationError("no provider of counter labels (extra.serviceError is set)");
    }
    if (Boolean.getBoolean("molt.test.fail-migration") && old.path("count").asLong() > 0) {
      // Set on one node of a cluster test: its real actors refuse, the warm-up's empty sample passes.
      throw new IllegalStateException("migration refused: molt.test.fail-migration is set on this node");
    }
    long slow = Long.getLong("molt.test.migration-sleep-millis", 0);
    if (slow > 0 && old.path("count").asLong() > 0) {
      // Set on one node of a cluster test: its installs stay in flight long enough to kill or stop it.
      Thread.sleep(slow);
    }
    if (old.path("count").asLong() == UNLUCKY) {
      // A deterministic failure for one actor among thousands, for the install tests.
      throw new IllegalStateException("migration refused: a count of " + UNLUCKY + " is unlucky");
    }
    if (extra.has("hangOnCount") && old.path("count").asLong() == extra.get("hangOnCount").asLong()) {
      hang();
    }
    long sleep = extra.path("sleepMillis").asLong(0);
    if (sleep > 0) {
      Thread.sleep(sleep);
    }
    // A label carried from an earlier v2 wins over the one offered now.
    String label = old.hasNonNull("label") ? old.get("label").asText() : extra.path("label").asText("unlabelled");
    return new State(old.path("count").asLong(), old.path("lastSeq").asLong(), old.path("gaps").asLong(),
        old.path("pongs").asLong(), label);
  }

  /**
   * Never returns on its own, as a loop stuck on a condition: interrupts are ignored. It sleeps
   * rather than burning a core of the shared test machine; a test lets it go at its end with the
   * system property molt.test.let-go=true.
   */
  private static void hang() {
    while (!Boolean.getBoolean("molt.test.let-go")) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException ignored) {
        // as code that never checks
      }
    }
  }

  @Override
  public JsonNode migrateDown(int toVersion, State state, JsonNode extra, ReleaseJson json) {
    ObjectNode v1 = (ObjectNode) json.toJson(state);
    v1.set("count", v1.remove("total"));
    if (extra.path("forgetLastSeq").asBoolean(false)) {
      // A destructive down-migration (the bank's "balanceCents: 0"), for the round-trip tests.
      v1.put("lastSeq", 0);
    }
    return v1;
  }
}
