package dev.molt.deploy.cli;

import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a live view goes. On a terminal (ANSI) each view replaces the previous one in place
 * (cursor up over the lines drawn, clear to the end of the screen); piped (no console), only the
 * lines not printed before are printed, so a log or CI output gets one line per change.
 */
final class Screen {
  static final String UP = "\u001b[%dA";
  static final String CLEAR_TO_END = "\u001b[J";

  private final PrintWriter out;
  private final boolean ansi;
  private final Set<String> printed = new HashSet<>();
  private int drawn;

  Screen(PrintWriter out, boolean ansi) {
    this.out = out;
    this.ansi = ansi;
  }

  void show(List<String> lines) {
    if (ansi) {
      if (drawn > 0) {
        out.print(String.format(UP, drawn) + "\r" + CLEAR_TO_END);
      }
      lines.forEach(out::println);
      drawn = lines.size();
    } else {
      lines.stream().filter(printed::add).forEach(out::println);
    }
    out.flush();
  }
}
