package dev.molt.node.release;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Frames of release code in a stack, told by the loader of their class: how a stuck or failed call is named. */
public final class ReleaseFrames {
  /** How {@link ReleaseClassLoader}'s names begin. */
  public static final String RELEASE_LOADER_NAME = "molt-release:";

  private ReleaseFrames() {}

  /** The innermost frame of release code (loaded by a release's loader), else the top frame. */
  public static StackTraceElement releaseFrame(StackTraceElement[] stack) {
    for (StackTraceElement frame : stack) {
      String loader = frame.getClassLoaderName();
      if (loader != null && loader.startsWith(RELEASE_LOADER_NAME)) {
        return frame;
      }
    }
    return stack.length > 0 ? stack[0] : null;
  }

  /** The top {@code count} frames, one per line, as a stack trace prints them. */
  static String frames(StackTraceElement[] stack, int count) {
    return Arrays.stream(stack).limit(count).map(f -> "\n\tat " + f).collect(Collectors.joining());
  }
}
