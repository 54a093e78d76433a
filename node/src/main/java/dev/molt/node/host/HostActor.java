package dev.molt.node.host;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.Scheduler;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.StashBuffer;
import akka.actor.typed.javadsl.TimerScheduler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.molt.node.envelope.Envelopes;
import dev.molt.node.release.LoadedBehaviour;
import dev.molt.node.release.NodeCounters;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.protocol.envelope.Envelope;
import dev.molt.protocol.release.ReleaseId;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import scala.concurrent.ExecutionContextExecutor;

/**
 * An upgradable actor: runs the current version of a named behaviour with its state, and speaks
 * {@link HostCommand}, OTP's {@code sys} protocol. The host owns the state; the behaviour is code.
 *
 * <p>It accepts, besides commands: objects of its current release as they are; {@link Envelope}s,
 * decoded by the current release; and objects of any other release (sent, stashed or scheduled
 * before a swap), which their own release turns into envelopes first. So a message never meets
 * code that cannot read it.
 *
 * <p>Two phases, as OTP's {@code sys}: {@link #running} handles messages with the current code;
 * {@link #suspended} stashes them until a resume, and only then accepts a code change.
 */
public final class HostActor {

  /** A host of {@code behaviour}, started on its current release; a failure stops it. */
  public static Behavior<Object> create(String behaviour, JsonNode startArgument) {
    return build(behaviour, startArgument, null, Peers.NONE, Stopping.END);
  }

  /** A host started by a supervision tree, which lets it find its peers. */
  public static Behavior<Object> create(String behaviour, JsonNode startArgument, Peers peers) {
    return build(behaviour, startArgument, null, peers, Stopping.END);
  }

  /** A sharded entity's host: {@code stop()} passivates it through its shard ({@code stopping}). */
  public static Behavior<Object> entity(String behaviour, JsonNode startArgument, Stopping stopping) {
    return build(behaviour, startArgument, null, Peers.NONE, stopping);
  }

  /**
   * A host that restarts on failure, on the release that is current then, with its initial state
   * (as OTP). Messages it had stashed survive the restart and are handled by the new incarnation.
   */
  public static Behavior<Object> supervised(String behaviour, JsonNode startArgument) {
    return build(behaviour, startArgument, SupervisorStrategy.restart(), Peers.NONE, Stopping.END);
  }

  private static Behavior<Object> build(String behaviour, JsonNode startArgument, SupervisorStrategy onFailure,
      Peers peers, Stopping stopping) {
    JsonNode argument = startArgument == null ? NullNode.getInstance() : startArgument;
    // Captures only the name: the release is looked up at every (re)start, never pinned here.
    return Behaviors.setup(outer -> {
      ReleaseRegistry registry = ReleaseRegistry.get(outer.getSystem());
      // The stash lives outside the supervisor, so a restart does not throw stashed messages away.
      return Behaviors.withStash(registry.settings().stashCapacity(), stash -> {
        Behavior<Object> incarnation = Behaviors.setup(context -> Behaviors.withTimers(timers -> {
          HostActor host = new HostActor(context, stash, timers, registry, behaviour, argument, peers, stopping);
          return stash.isEmpty() ? host.running() : stash.unstashAll(host.running());
        }));
        return onFailure == null ? incarnation : Behaviors.supervise(incarnation).onFailure(onFailure);
      });
    });
  }

  private final String behaviourName;
  private final String actor;
  private final ReleaseRegistry registry;
  private final NodeCounters counters;
  private final MessageTranslator translator;
  private final StashBuffer<Object> stash;
  private final TimerScheduler<Object> timers;
  private final HostContext behaviourContext;
  private final Logger log;
  private final Stopping stopping;
  /** Where a stopped host's swap goes on being watched. */
  private final Scheduler scheduler;
  private final ExecutionContextExecutor executor;

  private final HostCode code;
  /** The phases every install moves a host through, built once; a resume reports the pause since {@code suspendedSince}. */
  private final Behavior<Object> running;
  private final Behavior<Object> suspended;
  private long suspendedSince;
  private long rejectedWhileSuspended;
  /** A passivation that arrived while suspended with a full stash; taken up after the resume. */
  private boolean passivateAfterResume;

  private HostActor(ActorContext<Object> context, StashBuffer<Object> stash, TimerScheduler<Object> timers,
      ReleaseRegistry registry, String behaviourName, JsonNode startArgument, Peers peers, Stopping stopping)
      throws Exception {
    this.behaviourName = behaviourName;
    this.stopping = stopping;
    this.scheduler = context.getSystem().scheduler();
    this.executor = context.getSystem().executionContext();
    this.actor = context.getSelf().path().name();
    this.registry = registry;
    this.counters = registry.counters();
    this.stash = stash;
    this.timers = timers;
    this.log = context.getLog();
    this.translator = new MessageTranslator(actor, Envelopes.get(context.getSystem()), counters,
        context.getSystem().deadLetters(), log);
    this.code = new HostCode(actor, registry.currentBehaviour(behaviourName), timers, counters, log);
    this.behaviourContext = new HostContext(context, code::current, peers, timers, translator);
    code.start(behaviourContext, startArgument);
    this.running = buildRunning();
    this.suspended = buildSuspended();
    log.debug("{} started on {}", actor, code.current());
  }

  // ---- phases ----

  /** Handles messages with the current code; a Swap changes code within one message. */
  private Behavior<Object> running() {
    return running;
  }

  private Behavior<Object> buildRunning() {
    return Behaviors.receive(Object.class)
        .onMessage(HostCommand.Suspend.class, c -> {
          c.replyTo().tell(new HostReply.Done(actor, "suspend", 0, 0));
          return suspended(System.nanoTime());
        })
        .onMessage(HostCommand.SuspendForChange.class, c -> {
          c.replyTo().tell(lend());
          return suspended(System.nanoTime());
        })
        .onMessage(HostCommand.Resume.class, c -> {
          c.replyTo().tell(new HostReply.Done(actor, "resume", 0, 0));
          return Behaviors.same();
        })
        .onMessage(HostCommand.ChangeCode.class, c -> notSuspended(c.replyTo()))
        .onMessage(HostCommand.ChangeCodePrepared.class, c -> notSuspended(c.replyTo()))
        .onMessage(HostCommand.Swap.class, this::swap)
        .onMessage(HostCommand.class, c -> common(c, false))
        .onMessage(SwapBack.class, stale -> Behaviors.same())
        .onMessage(Passivate.class, p -> {
          log.debug("{} passivated on {}", actor, code.current());
          return Behaviors.stopped();
        })
        .onAnyMessage(this::handle)
        .onSignal(PreRestart.class, signal -> stopUsingRelease())
        .onSignal(PostStop.class, signal -> stopUsingRelease())
        .build();
  }

  /** Stashes messages until Resume; changes code only here (OTP's suspend, change_code, resume). */
  private Behavior<Object> suspended(long since) {
    suspendedSince = since;
    return suspended;
  }

  private Behavior<Object> buildSuspended() {
    return Behaviors.receive(Object.class)
        .onMessage(HostCommand.Suspend.class, c -> {
          c.replyTo().tell(new HostReply.Done(actor, "suspend", 0, 0));
          return Behaviors.same();
        })
        .onMessage(HostCommand.SuspendForChange.class, c -> {
          c.replyTo().tell(lend());
          return Behaviors.same();
        })
        .onMessage(HostCommand.Resume.class, c -> resume(c.replyTo(), "resume", suspendedSince))
        .onMessage(HostCommand.ChangeCode.class, c -> {
          changeCode("change-code", c.target(), c.extra(), c.budget(), c.replyTo());
          return Behaviors.same();
        })
        .onMessage(HostCommand.ChangeCodePrepared.class, c -> changePrepared(c, suspendedSince))
        .onMessage(HostCommand.Swap.class, c -> {
          fail(c.replyTo(), "swap", HostReply.Reason.SUSPENDED, actor + " is suspended: use ChangeCode, then Resume");
          return Behaviors.same();
        })
        .onMessage(HostCommand.class, c -> common(c, true))
        .onMessage(SwapBack.class, stale -> Behaviors.same())
        .onMessage(Passivate.class, this::passivateAfterStash)
        .onAnyMessage(this::stashWhileSuspended)
        .onSignal(PreRestart.class, signal -> stopUsingRelease())
        .onSignal(PostStop.class, signal -> stopUsingRelease())
        .build();
  }

  /**
   * A swap whose migration runs on a release-code thread: the host stashes, as suspended, until it
   * is back or over its budget. The pause is from the swap's turn to the switch.
   */
  private Behavior<Object> swapping(HostCommand.Swap swap, CodeChange.Queued queued, long since) {
    return Behaviors.receive(Object.class)
        .onMessage(SwapBack.class, back -> queued.is(back.call()), back -> {
          timers.cancel(queued);
          finishSwap(swap, CodeChange.finish(queued, System.nanoTime() - since));
          return resumeStash();
        })
        .onMessage(SwapWatch.class, watch -> watch.queued() == queued, watch -> {
          long left = queued.lookAgainNanos();
          if (left > 0) {
            timers.startSingleTimer(queued, watch, Duration.ofNanos(left));
            return Behaviors.same();
          }
          CodeChange.Outcome overran = CodeChange.abandon(queued);
          if (overran == null) {
            return Behaviors.same(); // it came back as it was abandoned: SwapBack is on its way
          }
          finishSwap(swap, overran);
          return resumeStash();
        })
        .onMessage(SwapBack.class, stale -> Behaviors.same())
        .onMessage(HostCommand.GetStatus.class, c -> common(c, false))
        .onMessage(Passivate.class, this::passivateAfterStash)
        .onAnyMessage(this::stashWhileSuspended)
        .onSignal(PreRestart.class, signal -> stopSwapping(queued))
        .onSignal(PostStop.class, signal -> stopSwapping(queued))
        .build();
  }

  /**
   * The host stops (or restarts) with its migration out: its budget is still watched, so a stuck
   * migration is abandoned and its release-code thread replaced, as if the host had waited.
   */
  private Behavior<Object> stopSwapping(CodeChange.Queued queued) {
    queued.watchWithout(scheduler, executor);
    return stopUsingRelease();
  }

  /** A swap's migration came back in time (told from its release-code thread). */
  private record SwapBack(Object call) {}

  /** Time to look whether a swap's migration is over its budget; the timer's key is the migration. */
  private record SwapWatch(CodeChange.Queued queued) {}

  private Behavior<Object> swap(HostCommand.Swap swap) {
    long since = System.nanoTime();
    ActorRef<Object> self = behaviourContext.self();
    CodeChange.Outcome outcome = CodeChange.start(registry, behaviourName, code.current(), code.state(), code.carried(),
        swap.target(), swap.extra(), swap.budget(), call -> self.tell(new SwapBack(call)));
    if (!(outcome instanceof CodeChange.Queued started)) {
      finishSwap(swap, outcome);
      return Behaviors.same();
    }
    timers.startSingleTimer(started, new SwapWatch(started), started.budget());
    return swapping(swap, started, since);
  }

  private void finishSwap(HostCommand.Swap swap, CodeChange.Outcome outcome) {
    reply(swap.replyTo(), code.apply("swap", outcome, swap.target()));
  }

  private Behavior<Object> notSuspended(ActorRef<HostReply> replyTo) {
    fail(replyTo, "change-code", HostReply.Reason.NOT_SUSPENDED,
        actor + " is not suspended: suspend it first, or use Swap to swap it on its own");
    return Behaviors.same();
  }

  /** What a migration prepared outside reads; the host changes none of it while suspended. */
  private HostReply.Suspended lend() {
    return new HostReply.Suspended(actor, new CodeChange.Source(code.current(), code.state(), code.carried()));
  }

  /** The prepared migration if it was prepared from this host as it is, else its own; then resumes if asked. */
  private Behavior<Object> changePrepared(HostCommand.ChangeCodePrepared command, long since) {
    CodeChange.Prepared prepared = command.prepared();
    CodeChange.Outcome outcome = prepared.forHost(code.current(), code.state(), code.carried())
        .orElseGet(() -> CodeChange.migrate(registry, behaviourName, code.current(), code.state(), code.carried(),
            prepared.target(), prepared.extra(), prepared.budget()));
    HostReply changed = code.apply("change-code", outcome, prepared.target());
    if (!(changed instanceof HostReply.Changed) || !command.resume()) {
      reply(command.replyTo(), changed);
      return Behaviors.same();
    }
    return resume(command.replyTo(), "change-code", since);
  }

  private Behavior<Object> resume(ActorRef<HostReply> replyTo, String command, long since) {
    replyTo.tell(new HostReply.Done(actor, command, stash.size(), System.nanoTime() - since));
    return resumeStash();
  }

  /** Back to running: what was stashed is handled first, in arrival order. */
  private Behavior<Object> resumeStash() {
    if (rejectedWhileSuspended > 0) {
      log.warn("{} resumed: {} message(s) were rejected while suspended (stash capacity {})",
          actor, rejectedWhileSuspended, stash.capacity());
      rejectedWhileSuspended = 0;
    }
    if (passivateAfterResume) {
      passivateAfterResume = false;
      behaviourContext.self().tell(Passivate.INSTANCE);
    }
    return stash.unstashAll(running());
  }

  /**
   * A passivation while suspended waits behind the stashed messages (the shard buffers later ones),
   * so they are handled on the new code before the host stops. It is never rejected: with a full
   * stash it is taken up right after the replay.
   */
  private Behavior<Object> passivateAfterStash(Passivate passivate) {
    if (stash.isFull()) {
      passivateAfterResume = true;
    } else {
      stash.stash(passivate);
    }
    return Behaviors.same();
  }

  // ---- user messages ----

  private Behavior<Object> handle(Object message) throws Exception {
    LoadedBehaviour current = code.current();
    Object understood = translator.translate(message, current);
    if (understood != MessageTranslator.NOT_UNDERSTOOD) {
      Object next = current.onMessage(behaviourContext, code.state(), understood);
      if (next != null) {
        code.state(next);
      }
      if (behaviourContext.takeStopRequest()) {
        log.debug("{} stops on its own request ({})", actor, current);
        return stopping.stop(behaviourContext.self());
      }
    }
    return Behaviors.same();
  }

  private Behavior<Object> stashWhileSuspended(Object message) {
    if (stash.isFull()) {
      counters.stashOverflow();
      if (rejectedWhileSuspended++ == 0) {
        log.warn("{} stash full (capacity {}) while suspended: rejecting messages until resume", actor, stash.capacity());
      }
      if (message instanceof HostCommand command) {
        // Only a swapping host stashes commands. The translator answers envelopes; a command has
        // its own reply, and is never dropped unanswered.
        String name = command.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        fail(command.replyTo(), name, HostReply.Reason.BUSY, actor + " is swapping code and its stash is "
            + "full (capacity " + stash.capacity() + "): the command was not run; ask again");
      } else {
        translator.reject(message, "stash full (capacity " + stash.capacity() + ") while " + actor
            + " is suspended for a code change", false);
      }
    } else {
      stash.stash(message);
    }
    return Behaviors.same();
  }

  // ---- control commands answered the same in both phases ----

  private Behavior<Object> common(HostCommand command, boolean suspended) {
    if (command instanceof HostCommand.GetState c) {
      c.replyTo().tell(code.stateReply());
    } else if (command instanceof HostCommand.GetStatus c) {
      LoadedBehaviour current = code.current();
      c.replyTo().tell(new HostReply.Status(actor, current.release().id(), current.version(), suspended,
          stash.size(), stash.capacity(), translator.rejected(), code.codeChanges()));
    } else if (command instanceof HostCommand.ReplaceState c) {
      reply(c.replyTo(), code.replace(c.state()));
    }
    return Behaviors.same();
  }

  // ---- code change ----

  private void changeCode(String command, ReleaseId targetId, JsonNode extra, Duration budget, ActorRef<HostReply> replyTo) {
    CodeChange.Outcome outcome = CodeChange.migrate(registry, behaviourName, code.current(), code.state(), code.carried(),
        targetId, extra, budget);
    reply(replyTo, code.apply(command, outcome, targetId));
  }

  /** Sends {@code reply}; a failure is logged with its cause. */
  private void reply(ActorRef<HostReply> replyTo, HostReply reply) {
    if (reply instanceof HostReply.Failed failed) {
      log.warn("{} {} failed: {}", actor, failed.command(), failed.cause());
    }
    replyTo.tell(reply);
  }

  private void fail(ActorRef<HostReply> replyTo, String command, HostReply.Reason reason, String cause) {
    reply(replyTo, new HostReply.Failed(actor, command, reason, cause));
  }

  private Behavior<Object> stopUsingRelease() {
    code.stopUsingRelease();
    return Behaviors.same();
  }
}
