package dev.molt.orchestrator.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;

/** Field checks shared by the routes that read JSON bodies; each refusal names the field. */
final class Fields {
  /** Longest text accepted for a target, application, message type, supervisor or key. */
  static final int MAX_NAME_CHARS = 200;

  private Fields() {}

  /** Refuses the first field not in {@code known}, naming it and the fields accepted. */
  static void onlyKnown(JsonNode body, List<String> known) throws BadInput {
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field)) {
        throw BadInput.field("unknown field '" + abbreviate(field) + "'; fields: " + known);
      }
    }
  }

  /** A non-blank string of at most {@link #MAX_NAME_CHARS}; null when absent and not required. */
  static String text(JsonNode body, String field, boolean required, String what) throws BadInput {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw BadInput.field("field '" + field + "' (" + what + ") is required");
      }
      return null;
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw BadInput.field("field '" + field + "' must be " + what + ", was " + abbreviate(value.toString()));
    }
    if (value.asText().length() > MAX_NAME_CHARS) {
      throw BadInput.field("field '" + field + "' must be at most " + MAX_NAME_CHARS + " characters, was " + value.asText().length());
    }
    return value.asText();
  }

  /** A client's value echoed back, cut so an error never carries a whole oversized input. */
  static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
