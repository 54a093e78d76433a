package dev.molt.node.health;

import akka.actor.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import dev.molt.node.supervision.Applications;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Readiness check for Akka Management's {@code /ready}: a node one of whose applications stopped
 * and whose start type makes that a failure (permanent, or transient after a failure) is not
 * ready, where OTP would stop the node. The check fails naming each such application and why it
 * stopped. Registered in {@code molt-node.conf}; the cluster agent's {@code ready} (the rollout's
 * health gate) reads the same {@link Applications}.
 */
public final class ApplicationsReadiness implements Supplier<CompletionStage<Boolean>> {
  private final Applications applications;

  public ApplicationsReadiness(ActorSystem system) {
    this.applications = Applications.get(Adapter.toTyped(system));
  }

  @Override
  public CompletionStage<Boolean> get() {
    var failures = applications.failures();
    if (!failures.isEmpty()) {
      return CompletableFuture.failedFuture(new IllegalStateException(String.join("; ", failures)));
    }
    return CompletableFuture.completedFuture(true);
  }
}
