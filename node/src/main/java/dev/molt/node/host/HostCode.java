package dev.molt.node.host;

import akka.actor.typed.javadsl.TimerScheduler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.release.LoadedBehaviour;
import dev.molt.node.release.LoadedRelease;
import dev.molt.node.release.NodeCounters;
import dev.molt.node.release.StateMigration;
import dev.molt.protocol.release.ReleaseId;
import org.slf4j.Logger;

/**
 * What a host runs: the current version of its behaviour, the state, the fields carried for newer
 * versions, and the use it holds on the release (a used release is never purged). A code change
 * switches all of them at once or none (OTP's {@code code_change} result applied by {@code sys}).
 */
final class HostCode {
  private final String actor;
  private final TimerScheduler<Object> timers;
  private final NodeCounters counters;
  private final Logger log;
  private HostContext context;

  private LoadedBehaviour current;
  private Object state;
  private ObjectNode carried = StateMigration.noCarriedFields();
  private boolean holdsRelease;
  private long codeChanges;

  HostCode(String actor, LoadedBehaviour current, TimerScheduler<Object> timers, NodeCounters counters, Logger log) {
    this.actor = actor;
    this.current = current;
    this.timers = timers;
    this.counters = counters;
    this.log = log;
  }

  /** Starts the behaviour with its initial state, and takes a use of its release. */
  void start(HostContext context, JsonNode startArgument) throws Exception {
    this.context = context;
    state = current.initialState(startArgument);
    current.onActivate(context, state);
    if (!current.release().tryUse()) {
      throw new IllegalStateException(current.release().id() + " was purged while " + actor + " was starting on it");
    }
    holdsRelease = true;
  }

  LoadedBehaviour current() {
    return current;
  }

  Object state() {
    return state;
  }

  void state(Object next) {
    state = next;
  }

  ObjectNode carried() {
    return carried;
  }

  long codeChanges() {
    return codeChanges;
  }

  HostReply.State stateReply() {
    return new HostReply.State(actor, current.release().id(), current.version(), current.encodeState(state),
        carried.deepCopy());
  }

  /** A state set from outside, validated by the current code: the new state, or why it was refused. */
  HostReply replace(JsonNode replacement) {
    try {
      Object decoded = current.decodeState(replacement);
      current.validate(decoded);
      state = decoded;
      // A state set from outside is whole: fields carried from a newer version no longer apply.
      carried = StateMigration.noCarriedFields();
      return stateReply();
    } catch (Exception e) {
      return new HostReply.Failed(actor, "replace-state", HostReply.Reason.STATE_REJECTED,
          "state rejected by " + current + ": " + Causes.describe(e));
    }
  }

  /** Switches to a migration's outcome: {@link HostReply.Changed}, or {@link HostReply.Failed} and nothing changed. */
  HostReply apply(String command, CodeChange.Outcome outcome, ReleaseId targetId) {
    LoadedBehaviour previous = current;
    if (outcome instanceof CodeChange.Failed failed) {
      if (failed.migrationFailed()) {
        counters.failedMigration();
      }
      return new HostReply.Failed(actor, command, failed.reason(),
          failed.cause() + (failed.migrationFailed() ? "; " + actor + " stays on " + previous : ""));
    }
    if (outcome instanceof CodeChange.AlreadyThere) {
      return new HostReply.Changed(actor, previous.release().id(), previous.version(), targetId, previous.version(), 0);
    }
    CodeChange.Migrated migrated = (CodeChange.Migrated) outcome;
    LoadedBehaviour target = migrated.target();
    if (target.release() != previous.release() && !target.release().tryUse()) {
      return new HostReply.Failed(actor, command, HostReply.Reason.PURGED,
          "release " + targetId + " was purged during the change; " + actor + " stays on " + previous);
    }
    Object previousState = state;
    ObjectNode previousCarried = carried;
    switchTo(target, migrated.result().state(), migrated.result().carried());
    try {
      current.onActivate(context, state);
    } catch (Exception e) {
      // Activation is the last step before the point of no return: undo and stay as we were.
      if (previous.release() != target.release()) {
        previous.release().tryUse();
      }
      switchTo(previous, previousState, previousCarried);
      reactivateQuietly();
      counters.failedMigration();
      return new HostReply.Failed(actor, command, HostReply.Reason.ACTIVATION_FAILED,
          "activation of " + target + " failed, back on " + previous + ": " + Causes.describe(e));
    }
    codeChanges++;
    counters.codeChanged();
    log.debug("{} changed code: {} in {} us", actor, migrated.what(), migrated.nanos() / 1000);
    return new HostReply.Changed(actor, previous.release().id(), previous.version(), targetId, target.version(),
        migrated.nanos());
  }

  private void switchTo(LoadedBehaviour next, Object nextState, ObjectNode nextCarried) {
    // Pending timers carry messages of the old release and would pin its loader.
    timers.cancelAll();
    LoadedRelease from = current.release();
    if (from != next.release()) {
      // The caller took the new release (tryUse); stop using the old one.
      from.unuse();
    }
    current = next;
    state = nextState;
    carried = nextCarried;
  }

  private void reactivateQuietly() {
    try {
      current.onActivate(context, state);
    } catch (Exception e) {
      log.warn("{} could not re-activate {} after a failed code change: {}", actor, current, Causes.describe(e));
    }
  }

  /** Gives up the use of the release (the host stops or restarts); once. */
  void stopUsingRelease() {
    if (holdsRelease) {
      holdsRelease = false;
      current.release().unuse();
    }
  }
}
