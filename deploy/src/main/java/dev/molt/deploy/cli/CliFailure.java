package dev.molt.deploy.cli;

/** Ends a moltctl command with one line on stderr and exit code 1: what failed and why, no stack trace. */
class CliFailure extends RuntimeException {
  CliFailure(String message) {
    super(message, null, false, false);
  }
}
