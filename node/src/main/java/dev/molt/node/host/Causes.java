package dev.molt.node.host;

import dev.molt.node.release.ReleaseFrames;
import java.lang.reflect.InvocationTargetException;

/**
 * One-line descriptions of failures, for replies and logs: class and message, then the cause's,
 * then where in release code it was thrown. The user fixes their code, not Molt's: the first frame
 * of a release's class (not the top of the stack, which is often the JDK's or Jackson's) points at
 * the line to look at.
 */
public final class Causes {
  private Causes() {}

  public static String describe(Throwable t) {
    Throwable top = t instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : t;
    StringBuilder text = new StringBuilder(oneLine(top));
    Throwable cause = top.getCause();
    for (int depth = 0; cause != null && cause != top && depth < 3; depth++, cause = cause.getCause()) {
      String line = oneLine(cause);
      if (top.getMessage() == null || !top.getMessage().contains(String.valueOf(cause.getMessage()))) {
        text.append(" <- ").append(line);
      }
    }
    String where = releaseFrame(top);
    if (where != null) {
      text.append(" at ").append(where);
    }
    return text.toString();
  }

  /**
   * The first frame of release code in the failure or its causes, innermost cause first (the one
   * release code threw; a wrapper's stack starts in Molt), as {@code Class.method(File:line)}; null
   * when no release code is on any stack.
   */
  public static String releaseFrame(Throwable failure) {
    String found = null;
    Throwable t = failure;
    for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause() == t ? null : t.getCause()) {
      StackTraceElement frame = ReleaseFrames.releaseFrame(t.getStackTrace());
      if (frame != null && frame.getClassLoaderName() != null
          && frame.getClassLoaderName().startsWith(ReleaseFrames.RELEASE_LOADER_NAME)) {
        found = frame.getClassName() + "." + frame.getMethodName() + "(" + frame.getFileName() + ":"
            + frame.getLineNumber() + ")";
      }
    }
    return found;
  }

  private static String oneLine(Throwable t) {
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
