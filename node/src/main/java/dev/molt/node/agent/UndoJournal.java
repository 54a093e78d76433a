package dev.molt.node.agent;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an install changed after the point of no return, newest first: each step that changed
 * something leaves the action that takes the change back. A revert unwinds it, so each actor goes
 * back to its previous code and state and each supervisor to its previous spec.
 */
final class UndoJournal {
  private static final Logger log = LoggerFactory.getLogger(UndoJournal.class);

  /** Takes one change back; may fail like any step. */
  interface Action {
    void run() throws InstallFailure;
  }

  private record Entry(String what, Action action) {}

  private final String install;
  private final Deque<Entry> entries = new ArrayDeque<>();

  UndoJournal(String install) {
    this.install = install;
  }

  void record(String what, Action action) {
    entries.push(new Entry(what, action));
  }

  int size() {
    return entries.size();
  }

  /**
   * Runs every action, newest first, and empties the journal. An action that fails is logged and
   * counted; the others still run, so one stuck actor does not keep the rest on the new release.
   *
   * @return how many actions failed
   */
  int unwind() {
    int failed = 0;
    while (!entries.isEmpty()) {
      Entry entry = entries.pop();
      try {
        entry.action().run();
      } catch (InstallFailure | RuntimeException e) {
        failed++;
        log.error("install={} revert: '{}' failed: {}", install, entry.what(), e.getMessage());
      }
    }
    return failed;
  }
}
