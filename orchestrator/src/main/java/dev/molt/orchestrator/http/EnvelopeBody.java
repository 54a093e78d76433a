package dev.molt.orchestrator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.envelope.Envelopes;
import dev.molt.protocol.envelope.Envelope;
import java.util.Map;

/**
 * The body of {@code POST /molt/actors/{supervisorOrEntityType}/{key}}: an envelope. The schema
 * version defaults to 1 and the payload to an empty object; the payload may not carry a {@code
 * replyTo}, which would let the caller make the node send to any actor path it names.
 */
record EnvelopeBody(String type, Integer schemaVersion, JsonNode payload) {
  static final String TYPE_RULE = "the message type, e.g. \"get\"";
  static final String SCHEMA_VERSION_RULE = "an integer >= 1";
  static final BodyType<EnvelopeBody> TYPE = new BodyType<>(EnvelopeBody.class, Map.of("type", TYPE_RULE,
      "schemaVersion", SCHEMA_VERSION_RULE, "payload", "a JSON object"), "envelope fields");

  EnvelopeBody {
    Fields.text("type", type, TYPE_RULE, true);
    schemaVersion = schemaVersion == null ? 1 : schemaVersion;
    if (schemaVersion < 1) {
      throw new IllegalArgumentException("field 'schemaVersion' must be " + SCHEMA_VERSION_RULE + ", was " + schemaVersion);
    }
    payload = payload == null || payload.isNull() ? JsonNodeFactory.instance.objectNode() : payload;
    if (!payload.isObject()) {
      throw new IllegalArgumentException("field 'payload' must be a JSON object, was "
          + payload.getNodeType().name().toLowerCase());
    }
    if (payload.has(Envelopes.REPLY_TO_FIELD)) {
      throw new IllegalArgumentException("field 'payload." + Envelopes.REPLY_TO_FIELD + "' is set by the route, not the "
          + "caller: use ?reply=true to get the reply in the response");
    }
  }

  Envelope envelope() {
    return new Envelope(type, schemaVersion, (ObjectNode) payload);
  }
}
