package dev.molt.protocol.appup;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The text of an update's {@code timeout}: a whole number of {@code ms}, {@code s} or {@code m}. */
public final class StepTimeout {
  /**
   * The longest an author may ask for: the default {@code molt.agent.install-timeout}, which bounds
   * a whole install; a suspend longer than that could never finish inside one.
   */
  public static final long MAX_MILLIS = 30 * 60 * 1000L;
  private static final Pattern TEXT = Pattern.compile("(\\d{1,9})\\s*(ms|s|m)");

  private StepTimeout() {}

  /** Milliseconds of {@code text}; an IllegalArgumentException naming the value when it is not one. */
  public static long parseMillis(String text) {
    Matcher m = TEXT.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("timeout '" + text + "' must be a whole number of ms, s or m, e.g. '500ms', '2s'");
    }
    long amount = Long.parseLong(m.group(1));
    long millis = switch (m.group(2)) {
      case "ms" -> amount;
      case "s" -> amount * 1000;
      default -> amount * 60_000;
    };
    if (millis < 1 || millis > MAX_MILLIS) {
      throw new IllegalArgumentException("timeout '" + text + "' must be between 1ms and " + MAX_MILLIS / 60_000 + "m");
    }
    return millis;
  }
}
