package dev.molt.node.host;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.TimerScheduler;
import dev.molt.node.release.LoadedBehaviour;
import dev.molt.node.spi.BehaviourContext;
import dev.molt.node.spi.ReleaseJson;
import dev.molt.protocol.envelope.Envelope;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;

/** The context a host hands to release code; it always speaks for the host's current release. */
final class HostContext implements BehaviourContext<Object> {
  private final ActorRef<Object> self;
  private final Logger log;
  private final Supplier<LoadedBehaviour> current;
  private final HostActor.Peers peers;
  private final TimerScheduler<Object> timers;
  private boolean stopRequested;

  HostContext(ActorRef<Object> self, Logger log, Supplier<LoadedBehaviour> current, HostActor.Peers peers,
      TimerScheduler<Object> timers) {
    this.self = self;
    this.log = log;
    this.current = current;
    this.peers = peers;
    this.timers = timers;
  }

  @Override
  public ActorRef<Object> self() {
    return self;
  }

  @Override
  public ActorRef<Envelope> selfForEnvelopes() {
    return self.narrow();
  }

  @Override
  public Logger log() {
    return log;
  }

  @Override
  public ReleaseJson json() {
    return current.get().json();
  }

  @Override
  public Optional<ActorRef<Envelope>> peer(String supervisor, String child) {
    return peers.find(supervisor, child).map(ActorRef::narrow);
  }

  @Override
  public Envelope envelope(String type, Object payload) {
    LoadedBehaviour behaviour = current.get();
    return new Envelope(type, behaviour.messageSchemaVersion(), behaviour.json().toJson(payload));
  }

  @Override
  public void startSingleTimer(Object key, Object message, Duration delay) {
    timers.startSingleTimer(key, message, delay);
  }

  @Override
  public void startTimerWithFixedDelay(Object key, Object message, Duration delay) {
    timers.startTimerWithFixedDelay(key, message, delay);
  }

  @Override
  public void stop() {
    stopRequested = true;
  }

  /** Whether the code asked to stop during the call that just returned; clears the request. */
  boolean takeStopRequest() {
    boolean requested = stopRequested;
    stopRequested = false;
    return requested;
  }

  @Override
  public void cancelTimer(Object key) {
    timers.cancel(key);
  }
}
