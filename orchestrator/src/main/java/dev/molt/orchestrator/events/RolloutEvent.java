package dev.molt.orchestrator.events;

import dev.molt.protocol.MoltSerializable;
import dev.molt.protocol.WireName;

/**
 * One progress fact of a rollout, as the orchestrator's INFO line states it, published by the
 * singleton to every node ({@link RolloutEvents}). {@code data} is the fact as a JSON object
 * ({@code type}, {@code rollout}, {@code at} and the fact's own fields); each node numbers the
 * events it receives for {@code GET /molt/events}.
 */
public record RolloutEvent(Type type, String rollout, String data) implements MoltSerializable {

  /** What happened; the wire name is the SSE {@code event:} field and the JSON {@code type}. */
  public enum Type implements WireName {
    /** A rollout was accepted: its target, nodes, batches and options. */
    STARTED,
    /** A batch is due: its position and nodes, each of which is asked to install. */
    BATCH_STARTED,
    /** A node's install ended: installed (with took, actors, pauses), unchanged, failed or unknown. */
    INSTALL_FINISHED,
    /** A node's rollback ended: rolled back, failed, or not rolled back (with why). */
    ROLLBACK_FINISHED,
    /** The rollout entered a phase that is not final (distributing, rolling, paused, rolling-back). */
    PHASE,
    /** The rollout ended: completed, rolled-back, failed or aborted, with how long it took. */
    FINISHED,
    /** Sent by a node, first, to a client that reconnected past its replay buffer: what it missed. */
    MISSED
  }
}
