package dev.molt.orchestrator.http;

import dev.molt.orchestrator.rollout.OrchestratorProtocol.Caller;

/**
 * A request {@link Access} let through: who it is from (as commands to the singleton carry it) and
 * what it acts on, which a route whose target is in the body names once it read the body; the
 * audit line shows the last one named.
 */
final class Granted {
  private final Caller caller;
  private volatile String target;

  Granted(Caller caller, String target) {
    this.caller = caller;
    this.target = target;
  }

  Caller caller() {
    return caller;
  }

  String target() {
    return target;
  }

  /** Names what the request acts on, for the audit line. */
  void target(String named) {
    this.target = named;
  }
}
