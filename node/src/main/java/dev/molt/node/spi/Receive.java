package dev.molt.node.spi;

import java.util.List;

/**
 * A behaviour's message handlers, built once by {@link ReceiveBuilder}: the first case whose class
 * matches the message handles it (Akka's {@code Receive}). A message no case matches is handed to
 * {@link BehaviourContext#unhandled}, which refuses it to its sender and counts it; it is not a
 * crash.
 */
public final class Receive<S, M> {

  /** One handler: the next state from the current one and a message of type {@code T}. */
  @FunctionalInterface
  public interface Handler<S, M, T> {
    S apply(BehaviourContext<M> context, S state, T message) throws Exception;
  }

  record Case<S, M, T>(Class<T> type, Handler<S, M, T> handler) {
    S apply(BehaviourContext<M> context, S state, Object message) throws Exception {
      return handler.apply(context, state, type.cast(message));
    }
  }

  private final List<Case<S, M, ?>> cases;

  Receive(List<Case<S, M, ?>> cases) {
    this.cases = List.copyOf(cases);
  }

  /** The next state; the same state when nothing handled the message. */
  public S apply(BehaviourContext<M> context, S state, M message) throws Exception {
    for (Case<S, M, ?> c : cases) {
      if (c.type().isInstance(message)) {
        S next = c.apply(context, state, message);
        return next == null ? state : next;
      }
    }
    context.unhandled(message);
    return state;
  }
}
