package dev.molt.orchestrator.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: one INFO line per request that needs more than a read, on the logger {@code
 * molt.audit} (so that it can be routed to its own appender), whatever its result, refusals included.
 */
public final class Audit {
  public static final String LOGGER = "molt.audit";
  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  private Audit() {}

  /** {@code user}/{@code role}: "-" when the request did not authenticate; {@code result}: the HTTP status. */
  public static void record(String user, String role, String action, String target, int result) {
    log.info("audit user={} role={} action={} target={} result={}", quoted(user), role, action, quoted(target), result);
  }

  /** Values a client chose are quoted when they hold spaces, quotes or '=' so that a line cannot fake a field. */
  private static String quoted(String value) {
    if (value == null || value.isEmpty()) {
      return "-";
    }
    String bounded = value.length() > 200 ? value.substring(0, 200) + "..." : value;
    return bounded.matches("[A-Za-z0-9._:/@%+-]+") ? bounded : "\"" + bounded.replace("\\", "\\\\").replace("\"", "\\\"")
        .replaceAll("\\p{Cntrl}", "?") + "\"";
  }
}
