package dev.molt.orchestrator.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rollout's {@code pauseBetweenBatches}: milliseconds ({@code 500}) or a duration ({@code
 * "500ms"}, {@code "30s"}, {@code "5m"}, {@code "1h"}), from 0 to the configured bound (the reader's
 * attribute {@link #MAX}: molt.orchestrator.max-pause-between-batches). Anything else is an input
 * mismatch, which {@link BodyType} refuses with the field's rule ({@link #rule}).
 */
final class PauseDeserializer extends StdScalarDeserializer<Duration> {
  private static final long serialVersionUID = 1L;
  /** The reader attribute holding the longest pause accepted, a {@link Duration}. */
  static final String MAX = "molt.orchestrator.max-pause-between-batches";
  private static final Pattern DURATION = Pattern.compile("(\\d{1,18})\\s*(ms|s|m|h)?");

  PauseDeserializer() {
    super(Duration.class);
  }

  /** What the field must be, after "field 'pauseBetweenBatches' must be ". */
  static String rule(Duration max) {
    return "milliseconds or a duration like \"500ms\", \"30s\", \"5m\" or \"1h\", from 0 to " + max + " (" + MAX + ")";
  }

  @Override
  public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    JsonToken token = p.currentToken();
    String text = token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_STRING ? p.getText().trim() : "";
    Matcher m = DURATION.matcher(text);
    long millis = m.matches() ? millis(Long.parseLong(m.group(1)), m.group(2) == null ? "ms" : m.group(2)) : -1;
    if (millis < 0 || millis > ((Duration) ctxt.getAttribute(MAX)).toMillis()) {
      return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
    }
    return Duration.ofMillis(millis);
  }

  /** The amount in milliseconds; {@link Long#MAX_VALUE} when that overflows (over any bound). */
  private static long millis(long amount, String unit) {
    try {
      return switch (unit) {
        case "h" -> Math.multiplyExact(amount, 3_600_000L);
        case "m" -> Math.multiplyExact(amount, 60_000L);
        case "s" -> Math.multiplyExact(amount, 1_000L);
        default -> amount;
      };
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
