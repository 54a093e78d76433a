package dev.molt.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import dev.molt.node.envelope.Envelopes;
import dev.molt.protocol.envelope.Envelope;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * One client of the load scenario: an actor doing request–reply ("get") to random counters, one
 * call at a time, without pause, like one of OTP's client processes. Latency is from the send to the
 * reply's arrival, logged under the phase the call started in (a call spanning a phase change counts
 * in the later phase; past the last phase nothing is logged). A call without a reply within {@link #CALL_TIMEOUT}, or rejected, is lost.
 */
final class LoadClient extends AbstractBehavior<Object> {
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  /** Stop calling and report, once the call in flight is answered or lost. */
  record Finish(ActorRef<Report> replyTo) {}

  record Report(List<LatencyLog> perPhase, long ok, long lost) {}

  private record CallTimedOut(long call) {}

  private final List<ActorRef<Object>> counters;
  private final AtomicInteger phase;
  private final Envelopes envelopes;
  private final TimerScheduler<Object> timers;
  private final SplittableRandom random;
  private final List<LatencyLog> perPhase;
  private long call;

  private long startedAt;
  private int startedIn;
  private long ok;
  private long lost;
  private ActorRef<Report> finishTo;

  static Behavior<Object> create(List<ActorRef<Object>> counters, AtomicInteger phase, int phases, long seed) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new LoadClient(ctx, timers, counters, phase, phases, seed)));
  }

  private LoadClient(ActorContext<Object> context, TimerScheduler<Object> timers, List<ActorRef<Object>> counters,
      AtomicInteger phase, int phases, long seed) {
    super(context);
    this.timers = timers;
    this.counters = counters;
    this.phase = phase;
    this.envelopes = Envelopes.get(context.getSystem());
    this.random = new SplittableRandom(seed);
    this.perPhase = IntStream.range(0, phases).mapToObj(i -> new LatencyLog()).toList();
    callNext();
  }

  @Override
  public Receive<Object> createReceive() {
    return newReceiveBuilder()
        .onMessage(Envelope.class, this::onReply)
        .onMessage(CallTimedOut.class, this::onTimeout)
        .onMessage(Finish.class, this::onFinish)
        .build();
  }

  private void callNext() {
    if (finishTo != null) {
      finishTo.tell(new Report(perPhase, ok, lost));
      return;
    }
    call++;
    startedIn = phase.get();
    startedAt = System.nanoTime();
    timers.startSingleTimer("call", new CallTimedOut(call), CALL_TIMEOUT);
    ActorRef<Object> counter = counters.get(random.nextInt(counters.size()));

    counter.tell(envelopes.of("get", 1, Map.of("replyTo", getContext().getSelf())));
  }

  private Behavior<Object> onReply(Envelope reply) {
    long took = System.nanoTime() - startedAt;
    timers.cancel("call");
    if (Envelope.REJECTED.equals(reply.type())) {
      lost++;
    } else {
      ok++;
      int at = Math.max(startedIn, phase.get());
      if (at >= 0 && at < perPhase.size()) {
        perPhase.get(at).add(took / 1000);
      }
    }
    callNext();
    return this;
  }

  private Behavior<Object> onTimeout(CallTimedOut timedOut) {
    if (timedOut.call() == call) {
      lost++;
      callNext();
    }
    return this;
  }

  private Behavior<Object> onFinish(Finish finish) {
    finishTo = finish.replyTo();
    return this;
  }
}
