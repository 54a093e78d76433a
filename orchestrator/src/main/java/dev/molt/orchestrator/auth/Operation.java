package dev.molt.orchestrator.auth;

import java.util.Locale;

/** What a request that needs more than a read does, the role it needs, and how a 403 names it. */
public enum Operation {
  UPLOAD(Role.ADMIN, "uploading a release"),
  PLAN(Role.OPERATOR, "planning a rollout"),
  START(Role.OPERATOR, "starting a rollout"),
  CONTROL(Role.OPERATOR, "controlling a rollout"),
  SEND(Role.OPERATOR, "sending to an actor"),
  READ_STATE(Role.OPERATOR, "reading an actor's state");

  private final Role needs;
  private final String phrase;

  Operation(Role needs, String phrase) {
    this.needs = needs;
    this.phrase = phrase;
  }

  public Role needs() {
    return needs;
  }

  /** As a 403 says it: "starting a rollout needs operator". */
  public String phrase() {
    return phrase;
  }

  /** As the audit line names it. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
