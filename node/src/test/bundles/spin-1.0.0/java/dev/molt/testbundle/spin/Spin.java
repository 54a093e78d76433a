package dev.molt.testbundle.spin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.node.spi.BaseBehaviour;
import dev.molt.node.spi.BehaviourContext;
import dev.molt.node.spi.ReleaseJson;
import java.util.Map;

/** A behaviour whose class never finishes initialising: its static initialiser does not return. */
public final class Spin extends BaseBehaviour<Spin.State, Spin.Msg> {

  public record State(long n) {}

  public interface Msg {}

  public record Poke(long n) implements Msg {}

  static {
    // Never returns on its own, as a loop stuck on a condition: interrupts are ignored. It sleeps
    // rather than burning a core of the shared test machine; a test lets it go at its end with the
    // system property molt.test.let-go=true.
    while (!Boolean.getBoolean("molt.test.let-go")) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException ignored) {
        // as code that never checks
      }
    }
  }

  public Spin() {
    super(1, State.class, Msg.class, Map.of("poke", Poke.class));
  }

  @Override
  public State initialState(JsonNode startArgument, ReleaseJson json) {
    return new State(0);
  }

  @Override
  public State onMessage(BehaviourContext<Msg> ctx, State s, Msg message) {
    return s;
  }
}
