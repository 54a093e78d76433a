package dev.molt.deploy.cli;

/**
 * Ends a moltctl command with one line on stderr ({@code moltctl: ...}) and an exit code (1 unless
 * given): what failed and why, no stack trace.
 */
class CliFailure extends RuntimeException {
  private final Exit exit;

  CliFailure(String message) {
    this(Exit.ERROR, message);
  }

  CliFailure(Exit exit, String message) {
    super(message, null, false, false);
    this.exit = exit;
  }

  Exit exit() {
    return exit;
  }
}
