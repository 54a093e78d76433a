package dev.molt.protocol.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.molt.protocol.MoltSerializable;
import java.util.Objects;

/**
 * An application message as data: what crosses a release boundary (another release, another node,
 * stable code). The receiving actor decodes it with its <em>current</em> release, so the sender
 * never needs the receiver's classes.
 *
 * @param type message type name, as the behaviour declares it (for example {@code "increment"})
 * @param schemaVersion version of the payload's shape; receivers tolerate neighbouring versions
 * @param payload the message's fields as JSON
 */
public record Envelope(String type, int schemaVersion, JsonNode payload) implements MoltSerializable {

  /** Envelope type of the reply a host sends when it refuses a message (stash full, unknown type). */
  public static final String REJECTED = "molt.rejected";

  public Envelope {
    Objects.requireNonNull(type, "type");
    if (type.isBlank()) {
      throw new IllegalArgumentException("envelope type must not be blank");
    }
    if (schemaVersion < 1) {
      throw new IllegalArgumentException("envelope schemaVersion must be >= 1, was " + schemaVersion);
    }
    payload = payload == null ? NullNode.getInstance() : payload;
  }
}
