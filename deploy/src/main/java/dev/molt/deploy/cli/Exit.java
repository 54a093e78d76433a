package dev.molt.deploy.cli;

import dev.molt.orchestrator.rollout.RolloutPhase;

/**
 * moltctl's exit codes, one per outcome a script may branch on. Every command's {@code --help}
 * lists them (set by {@link MoltCtl#commandLine}); docs/orchestrator.md has the same table.
 */
enum Exit {
  OK(0, "success; a followed rollout completed"),
  ERROR(1, "an error: the server refused (HTTP status and its error shown), it could not be reached, or a file is missing"),
  USAGE(2, "a usage error: unknown command or option, missing or malformed argument"),
  FAILED(3, "the followed rollout failed (it stopped for a human; nothing was rolled back)"),
  ROLLED_BACK(4, "the followed rollout was rolled back"),
  ABORTED(5, "the followed rollout was aborted"),
  TIMEOUT(6, "the rollout (or cluster) did not reach an end within --timeout; it goes on");

  final int code;
  final String meaning;

  Exit(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  /** The exit of a rollout that ended in {@code phase}; null while it has not ended. */
  static Exit ofPhase(String phase) {
    return RolloutPhase.parse(phase).map(p -> switch (p) {
      case COMPLETED -> OK;
      case FAILED -> FAILED;
      case ROLLED_BACK -> ROLLED_BACK;
      case ABORTED -> ABORTED;
      default -> null;
    }).orElse(null);
  }
}
