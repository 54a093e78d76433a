package dev.molt.orchestrator.http;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.molt.node.json.JsonBounds;

/** Field checks shared by the records JSON bodies are read into; each refusal names the field. */
final class Fields {
  /** Longest text accepted for a target, application, message type, supervisor or key. */
  static final int MAX_NAME_CHARS = 200;

  private Fields() {}

  /**
   * A non-blank text of at most {@link #MAX_NAME_CHARS}, or null when absent and not required.
   * Called from a record's constructor, so a refusal is an {@link IllegalArgumentException} whose
   * message is the client's detail ({@link BodyType} makes it a {@link BadInput}).
   */
  static String text(String field, String value, String rule, boolean required) {
    if (value == null) {
      if (required) {
        throw new IllegalArgumentException("field '" + field + "' (" + rule + ") is required");
      }
      return null;
    }
    if (value.isBlank()) {
      throw new IllegalArgumentException("field '" + field + "' must be " + rule + ", was "
          + abbreviate(TextNode.valueOf(value).toString()));
    }
    if (value.length() > MAX_NAME_CHARS) {
      throw new IllegalArgumentException("field '" + field + "' must be at most " + MAX_NAME_CHARS
          + " characters, was " + value.length());
    }
    return value;
  }

  /** A client's value echoed back, cut so an error never carries a whole oversized input. */
  static String abbreviate(String text) {
    return JsonBounds.abbreviate(text);
  }
}
