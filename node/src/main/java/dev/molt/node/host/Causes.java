package dev.molt.node.host;

import java.lang.reflect.InvocationTargetException;

/** One-line descriptions of failures, for replies and logs: class and message, then the cause's. */
final class Causes {
  private Causes() {}

  static String describe(Throwable t) {
    Throwable top = t instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : t;
    StringBuilder text = new StringBuilder(oneLine(top));
    Throwable cause = top.getCause();
    for (int depth = 0; cause != null && cause != top && depth < 3; depth++, cause = cause.getCause()) {
      String line = oneLine(cause);
      if (top.getMessage() == null || !top.getMessage().contains(String.valueOf(cause.getMessage()))) {
        text.append(" <- ").append(line);
      }
    }
    return text.toString();
  }

  private static String oneLine(Throwable t) {
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
