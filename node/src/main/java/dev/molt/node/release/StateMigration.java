package dev.molt.node.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link MigrationPath} on one state. State crosses each release boundary as JSON, since
 * the two versions' classes live in different loaders.
 *
 * <p>Fields an older version does not know are <em>carried</em>: a down step keeps the fields its
 * output has that the older version drops, and the next up step gets them back in its input. So
 * v2→v1→v2 loses nothing v2 wrote, as protobuf keeps unknown fields.
 *
 * <p>Release code never gets the caller's state object, only JSON or a copy: the caller keeps its
 * state as it was whatever the migration does.
 */
public final class StateMigration {

  /** The migrated state, an object of {@code to}'s release, and the fields carried beside it. */
  public record Result(Object state, ObjectNode carried) {}

  private StateMigration() {}

  public static ObjectNode noCarriedFields() {
    return JsonNodeFactory.instance.objectNode();
  }

  public static Result run(LoadedBehaviour from, Object state, ObjectNode carried, List<MigrationPath.Hop> hops,
      LoadedBehaviour to, JsonNode extra) throws Exception {
    // The common case carries nothing: skip the copies (this runs once per actor per install).
    ObjectNode bag = carried.isEmpty() ? noCarriedFields() : carried.deepCopy();
    if (hops.isEmpty()) {
      // Same behaviour version in another release: the shape is the same, the classes are not.
      return new Result(to.decodeState(from.encodeState(state)), bag);
    }
    Object typed = state;
    LoadedBehaviour typedBy = from;
    for (MigrationPath.Hop hop : hops) {
      if (hop.up()) {
        JsonNode input = withCarried(typedBy.encodeState(typed), bag);
        typed = hop.newer().migrateUp(hop.older().version(), input, extra);
        typedBy = hop.newer();
        if (!bag.isEmpty()) {
          dropKnown(bag, typedBy.encodeState(typed));
        }
      } else {
        // A copy of the caller's state: a migration abandoned over its budget may still change what
        // it got, and the host stays on that state.
        if (typedBy != hop.newer() || typed == state) {
          typed = hop.newer().decodeState(typedBy.encodeState(typed));
        }
        JsonNode output = hop.newer().migrateDown(hop.older().version(), typed, extra);
        if (output == null) {
          throw new IllegalStateException("migrateDown of " + hop.newer() + " to v" + hop.older().version() + " returned null");
        }
        typed = hop.older().decodeState(output);
        typedBy = hop.older();
        keepUnknown(bag, output, typedBy.encodeState(typed));
      }
      if (typed == null) {
        throw new IllegalStateException("migration to " + typedBy + " produced no state");
      }
    }
    if (typedBy != to) {
      typed = to.decodeState(typedBy.encodeState(typed));
    }
    return new Result(typed, bag);
  }

  /** The state as JSON with the carried fields it lacks put back. */
  private static JsonNode withCarried(JsonNode state, ObjectNode bag) {
    if (!state.isObject() || bag.isEmpty()) {
      return state;
    }
    ObjectNode merged = ((ObjectNode) state).deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = bag.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!merged.has(field.getKey())) {
        merged.set(field.getKey(), field.getValue());
      }
    }
    return merged;
  }

  private static void dropKnown(ObjectNode bag, JsonNode state) {
    if (state.isObject()) {
      state.fieldNames().forEachRemaining(bag::remove);
    }
  }

  private static void keepUnknown(ObjectNode bag, JsonNode migrated, JsonNode asOlderSeesIt) {
    if (!migrated.isObject()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = migrated.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!asOlderSeesIt.has(field.getKey())) {
        bag.set(field.getKey(), field.getValue());
      }
    }
  }
}
