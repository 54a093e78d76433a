package dev.molt.orchestrator.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.protocol.MoltSerializable;
import dev.molt.protocol.WireName;
import java.io.IOException;

/**
 * One progress fact of a rollout, as the orchestrator's INFO line states it, numbered and
 * published by the singleton to every node ({@link EventPublisher}). {@code data} is the fact as a
 * JSON object ({@code type}, {@code rollout}, {@code atMillis} and the fact's own fields; once
 * numbered also {@code eventId}, {@code id} and {@code incarnation}); {@code id} is null until the
 * singleton numbers the fact.
 */
public record RolloutEvent(EventId id, Type type, String rollout, String data) implements MoltSerializable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A fact not numbered yet. */
  RolloutEvent(Type type, String rollout, String data) {
    this(null, type, rollout, data);
  }

  /**
   * The fact with its id, also in its data: {@code eventId} (as the SSE {@code id:}), and, kept for
   * the readers of the first version, {@code id} (the number within the incarnation) with
   * {@code incarnation}.
   */
  RolloutEvent numbered(EventId eventId) {
    try {
      ObjectNode numbered = JSON.createObjectNode().put("id", eventId.seq()).put("eventId", eventId.toString())
          .put("incarnation", eventId.incarnation());
      numbered.setAll((ObjectNode) JSON.readTree(data));
      return new RolloutEvent(eventId, type, rollout, numbered.toString());
    } catch (IOException | ClassCastException e) {
      throw new IllegalArgumentException("rollout event " + type + " of " + rollout + " is not a JSON object", e);
    }
  }

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
