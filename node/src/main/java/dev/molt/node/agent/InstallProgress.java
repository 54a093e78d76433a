package dev.molt.node.agent;

import dev.molt.protocol.relup.RelupScript;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports an install as it runs: one {@link ProgressEvent} per step started and finished, one for
 * a failure and one for a revert, to the install's subscribers; an INFO line per finished step and
 * a WARN line per failure or revert.
 */
final class InstallProgress {
  private static final Logger log = LoggerFactory.getLogger(InstallProgress.class);

  private final String install;
  private final Consumer<ProgressEvent> subscribers;

  InstallProgress(String install, Consumer<ProgressEvent> subscribers) {
    this.install = install;
    this.subscribers = subscribers;
  }

  String install() {
    return install;
  }

  void started(RelupScript hop, int step, String description) {
    subscribers.accept(new ProgressEvent(install, name(hop), step, hop.steps().size(), description, ProgressEvent.Phase.STARTED,
        0, 0, 0, 0, null));
  }

  void finished(RelupScript hop, int step, String description, int actors, long tookNanos, PauseStats.Summary pauses) {
    log.info("install={} hop={} step={}/{} op=\"{}\" actors={} took={}ms{}", install, name(hop), step, hop.steps().size(),
        description, actors, String.format("%.1f", tookNanos / 1e6),
        pauses.max() > 0 ? " pause.max=" + pauses.max() / 1000 + "us pause.p99=" + pauses.p99() / 1000 + "us" : "");
    subscribers.accept(new ProgressEvent(install, name(hop), step, hop.steps().size(), description, ProgressEvent.Phase.FINISHED,
        actors, tookNanos, pauses.max(), pauses.p99(), null));
  }

  void failed(String hop, String step, String detail) {
    warn(new ProgressEvent(install, hop, 0, 0, step, ProgressEvent.Phase.FAILED, 0, 0, 0, 0, detail));
  }

  void reverted(String hop, long tookNanos, String detail) {
    warn(new ProgressEvent(install, hop, 0, 0, "revert", ProgressEvent.Phase.REVERTED, 0, tookNanos, 0, 0, detail));
  }

  private void warn(ProgressEvent event) {
    log.warn("install={} {} {}: {}", install, event.hop(), event.phase(), event.detail());
    subscribers.accept(event);
  }

  private static String name(RelupScript hop) {
    return hop.from() + "->" + hop.to();
  }
}
