package dev.molt.orchestrator.rollout;

import dev.molt.protocol.WireName;

/**
 * What a client asked of a rollout: its start or one of the {@link ControlAction}s. A rollout
 * records it with each request id ({@link Rollout.RequestRecord}) and in who asked what
 * ({@link Rollout.Requested}); {@link #json()} is the text Distributed Data keeps and
 * {@code /molt/rollouts} shows, as when it was a String, so a rollout recorded by an older
 * singleton reads the same. A text this version does not know is refused like an unknown
 * {@link RolloutPhase} in the same record: the rollout cannot be read in part.
 */
public enum RequestedAction implements WireName {
  START,
  PAUSE,
  RESUME,
  PROMOTE,
  ABORT,
  ROLLBACK;

  /** The control a client asked for, as a rollout records it. */
  public static RequestedAction of(ControlAction action) {
    return valueOf(action.name());
  }

  @Override
  public String toString() {
    return json();
  }
}
