package dev.molt.orchestrator.rollout;

import dev.molt.protocol.control.ControlMessages.InstallResult;
import dev.molt.protocol.release.ReleaseId;
import org.slf4j.Logger;

/**
 * A finished batch's installs written into the rollout: each answer as the node's outcome (logged
 * with its timings), each node failed by membership as {@code unknown} (it may have installed).
 */
record BatchResults(Rollout rollout, String failure, boolean membership) {

  static BatchResults of(Rollout rollout, BatchSteps b, Logger log) {
    String position = (b.batch + 1) + "/" + rollout.batches().size();
    String failure = null;
    boolean membership = b.anyLostToMembership();
    for (var entry : b.answers().entrySet()) {
      InstallResult r = entry.getValue();
      ReleaseId from = rollout.previous().get(entry.getKey());
      if (r.ok()) {
        log.info("rollout={} node={} step=install from={} to={} actors={} took={}ms pause.max={}us "
                + "pause.p99={}us batch={}", rollout.id(), entry.getKey(), from == null ? "none" : from.version(),
            r.release().version(), r.actors(), r.tookMillis(), r.pauseMaxMicros(), r.pauseP99Micros(), position);
        rollout = rollout.withNode(new NodeOutcome(entry.getKey(), NodeOutcome.Action.INSTALL, NodeOutcome.Status.INSTALLED, from, r.release(),
            r.tookMillis(), r.actors(), r.pauseMaxMicros(), r.pauseP99Micros(), null));
      } else {
        String why = "step '" + r.step() + "'" + (r.actor() == null ? "" : " actor " + r.actor()) + ": " + r.reason()
            + (r.reverted() ? " (node reverted to " + (from == null ? "none" : from) + ")" : "");
        log.error("rollout={} node={} step=install from={} to={} failed: {} batch={}", rollout.id(),
            entry.getKey(), from == null ? "none" : from.version(), rollout.target().version(), why, position);
        rollout = rollout.withNode(new NodeOutcome(entry.getKey(), NodeOutcome.Action.INSTALL, NodeOutcome.Status.FAILED, from, rollout.target(), 0, 0, 0, 0, why));
        failure = failure == null ? "install on " + entry.getKey() + " failed: " + why : failure;
      }
    }
    for (var lost : b.failures().entrySet()) {
      // The install request was sent: the node may have installed. A rollback checks it once it answers.
      rollout = rollout.withNode(new NodeOutcome(lost.getKey(), NodeOutcome.Action.INSTALL, NodeOutcome.Status.UNKNOWN,
          rollout.previous().get(lost.getKey()), rollout.target(), 0, 0, 0, 0, lost.getValue()));
      failure = failure == null ? "install on " + lost.getKey() + " failed: " + lost.getValue() : failure;
    }
    return new BatchResults(rollout, failure, membership);
  }
}
