package dev.molt.orchestrator.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import dev.molt.orchestrator.rollout.RolloutSpec;
import java.io.IOException;

/**
 * A rollout's {@code batchSize}: a count ({@code 3} or {@code "3"}) from 1 to {@link
 * RolloutSpec#MAX_BATCH_COUNT}, or a percentage ({@code "34%"}) from 1 to 100, as the text the
 * orchestrator takes ({@code "3"}, {@code "34%"}). Anything else is an input mismatch, which
 * {@link BodyType} refuses with the field's rule.
 */
final class BatchSizeDeserializer extends StdScalarDeserializer<String> {
  private static final long serialVersionUID = 1L;
  /** What the field must be, after "field 'batchSize' must be ". */
  static final String RULE = RolloutSpec.BATCH_SIZE_RULE.replaceFirst("^batchSize must be ", "");

  BatchSizeDeserializer() {
    super(String.class);
  }

  @Override
  public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    JsonToken token = p.currentToken();
    String text = token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_STRING ? p.getText().trim() : "";
    boolean percent = text.endsWith("%");
    String digits = percent ? text.substring(0, text.length() - 1) : text;
    long size = digits.matches("\\d{1,9}") ? Long.parseLong(digits) : -1;
    if (size < 1 || size > (percent ? 100 : RolloutSpec.MAX_BATCH_COUNT)) {
      return (String) ctxt.handleUnexpectedToken(String.class, p);
    }
    return percent ? size + "%" : Long.toString(size);
  }
}
