package dev.molt.node.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One version of an upgradable behaviour: OTP's callback module with its {@code -vsn}. An
 * implementation lives in a release bundle, is loaded into that release's own class loader, and is
 * run by a Molt host actor, which owns the state.
 *
 * <p>Rules that make hot swaps safe:
 *
 * <ul>
 *   <li>Both migrations live in the <em>newer</em> version, because only the newer code knows both
 *       shapes ({@link #migrateUp} and {@link #migrateDown}, OTP's {@code code_change(OldVsn, ...)}
 *       and {@code code_change({down, Vsn}, ...)}).
 *   <li>Older state arrives as JSON, never as an object of the older release: its classes belong to
 *       another class loader.
 *   <li>The implementation is stateless: one instance serves every actor of this version. State is
 *       the value passed in and returned.
 * </ul>
 *
 * @param <S> the state type of this version
 * @param <M> the message type of this version
 */
public interface VersionedBehaviour<S, M> {

  /** This behaviour's version: 1, 2, ... Migrations are keyed by it. */
  int version();

  Class<S> stateType();

  Class<M> messageType();

  /**
   * The message types this version understands, by the type name they travel under in an {@code
   * Envelope}. Every class of a message this version sends to itself or to peers must be listed, so
   * that messages still in a mailbox or stash at a swap can be handed to the next version as data.
   */
  Map<String, Class<? extends M>> messageTypes();

  /** Version of the message shapes this version writes into envelopes. */
  default int messageSchemaVersion() {
    return version();
  }

  /**
   * Reads a message payload of {@code type} written in an older schema {@code fromSchema} as this
   * version's schema (an up-migration of a message, as {@link #migrateUp} is of a state). Called
   * before decoding any envelope older than {@link #messageSchemaVersion()}; the default reads it
   * as it is, which suits added optional fields.
   */
  default JsonNode migrateMessageUp(String type, int fromSchema, JsonNode payload, ReleaseJson json)
      throws Exception {
    return payload;
  }

  /**
   * Writes a payload of {@code type} of this version's schema in the older schema {@code toSchema}
   * (a down-migration of a message): while the node's write floor for this application is below
   * this version's schema (during a rollout, so that nodes still on the older release read it), and
   * when a message of this version is handed to an older version after a downgrade. The default
   * writes it as it is.
   */
  default JsonNode migrateMessageDown(String type, int toSchema, JsonNode payload, ReleaseJson json)
      throws Exception {
    return payload;
  }

  /** The state of a freshly started actor; {@code startArgument} is JSON null when none was given. */
  S initialState(JsonNode startArgument, ReleaseJson json) throws Exception;

  /** Handles one message and returns the next state (OTP's {@code handle_call/cast/info}). */
  S onMessage(BehaviourContext<M> context, S state, M message) throws Exception;

  /**
   * Called when an actor starts on this version, and after every code change onto it: the place
   * to (re-)arm timers, which the host cancels at each swap.
   */
  default void onActivate(BehaviourContext<M> context, S state) throws Exception {}

  /** Whether this version can migrate state up from {@code olderVersion} in one step. */
  default boolean migratesUpFrom(int olderVersion) {
    return olderVersion == version() - 1;
  }

  /**
   * Migrates state written by {@code fromVersion} up to this version (OTP's {@code
   * code_change(OldVsn, State, Extra)}). The default reads the old JSON as this version's state,
   * which suits additive changes.
   *
   * @param oldState the older version's state as JSON; fields the older version did not know but
   *     an even newer one once wrote are merged back in, so a down-then-up trip loses nothing
   * @param extra the caller's {@code Extra}: an object, empty when none was given
   */
  default S migrateUp(int fromVersion, JsonNode oldState, JsonNode extra, ReleaseJson json)
      throws Exception {
    return json.fromJson(oldState, stateType());
  }

  /** Whether this version can migrate its state down to {@code olderVersion} in one step. */
  default boolean migratesDownTo(int olderVersion) {
    return olderVersion == version() - 1;
  }

  /**
   * Migrates this version's state down to the shape {@code toVersion} reads (OTP's {@code
   * code_change({down, Vsn}, State, Extra)}). Fields left in the result that the older version does
   * not know are kept by the host and offered back at the next upgrade.
   */
  default JsonNode migrateDown(int toVersion, S state, JsonNode extra, ReleaseJson json)
      throws Exception {
    return json.toJson(state);
  }

  /** Rejects a state set from outside ({@code replace state}) by throwing with the reason. */
  default void validate(S state) throws IllegalArgumentException {}
}
