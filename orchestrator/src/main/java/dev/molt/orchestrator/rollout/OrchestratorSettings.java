package dev.molt.orchestrator.rollout;

import com.typesafe.config.Config;
import java.time.Duration;

/** {@code molt.orchestrator.*} (reference.conf explains each), read once when the singleton starts. */
record OrchestratorSettings(
    boolean reconcile,
    Duration ask,
    Duration install,
    Duration unreachableWait,
    Duration reconcileSettle,
    Duration reconcileAfterRollout,
    Duration recoverSettle,
    Duration settledRetry,
    Duration majorityTimeout,
    int majorityReads,
    int stashCapacity) {

  static OrchestratorSettings from(Config root) {
    Config c = root.getConfig("molt.orchestrator");
    return new OrchestratorSettings(
        c.getBoolean("reconcile"),
        c.getDuration("ask-timeout"),
        c.getDuration("install-timeout"),
        c.getDuration("unreachable-wait"),
        c.getDuration("reconcile-settle"),
        c.getDuration("reconcile-after-rollout"),
        c.getDuration("recover-settle"),
        c.getDuration("settled-status-retry"),
        c.getDuration("store.majority-timeout"),
        c.getInt("store.majority-reads"),
        c.getInt("recovery-stash-capacity"));
  }
}
