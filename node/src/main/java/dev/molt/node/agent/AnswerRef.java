package dev.molt.node.agent;

import akka.actor.ActorPath;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where one target of a fan-out answers: a reply told to it is handed to {@code answered} in the
 * replying actor's thread, at once. It does what an ask's temporary actor does for a local target,
 * without what a remote one needs and a local fan-out does not: a path registered with the
 * provider, a timer per ask on the scheduler, a future and its callbacks. The fan-out bounds the
 * wait itself ({@link Asks}). Local only: it has no address another node could send to.
 */
final class AnswerRef<T> implements ActorRef<T> {
  private final ActorSystem<?> system;
  private final Supplier<String> target;
  private final Consumer<T> answered;

  /** {@code target} names the one asked, in {@link #toString}. */
  AnswerRef(ActorSystem<?> system, Supplier<String> target, Consumer<T> answered) {
    this.system = system;
    this.target = target;
    this.answered = answered;
  }

  /** A target known to have stopped cannot answer: an ask fails at once for it, and so does a fan-out. */
  static boolean stopped(ActorRef<?> target) {
    return Adapter.toClassic(target).isTerminated();
  }

  @Override
  public void tell(T reply) {
    answered.accept(Objects.requireNonNull(reply, "a reply"));
  }

  @Override
  @SuppressWarnings("unchecked")
  public <U extends T> ActorRef<U> narrow() {
    return (ActorRef<U>) this;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <U> ActorRef<U> unsafeUpcast() {
    return (ActorRef<U>) this;
  }

  /** Built when asked for (a log line, a dead letter): a fan-out of thousands never builds one. */
  @Override
  public ActorPath path() {
    // Under /temp, as an ask's temporary actors are.
    return system.deadLetters().path().root().child("temp")
        .child("answer-" + Integer.toHexString(System.identityHashCode(this)));
  }

  @Override
  public int compareTo(ActorRef<?> other) {
    return path().compareTo(other.path());
  }

  @Override
  public String toString() {
    return "AnswerRef(" + target.get() + ")";
  }
}
