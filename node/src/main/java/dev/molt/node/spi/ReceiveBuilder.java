package dev.molt.node.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * Declares a behaviour's handlers, as Akka's {@code newReceiveBuilder().onMessage(...)}:
 *
 * <pre>{@code
 * return newReceiveBuilder()
 *     .on(Join.class, this::join)
 *     .on(Score.class, this::score)
 *     .build();
 * }</pre>
 */
public final class ReceiveBuilder<S, M> {
  private final List<Receive.Case<S, M, ?>> cases = new ArrayList<>();

  ReceiveBuilder() {}

  /** Handles messages of {@code type} (and its subclasses) with {@code handler}. */
  public <T extends M> ReceiveBuilder<S, M> on(Class<T> type, Receive.Handler<S, M, T> handler) {
    cases.add(new Receive.Case<>(type, handler));
    return this;
  }

  public Receive<S, M> build() {
    return new Receive<>(cases);
  }
}
