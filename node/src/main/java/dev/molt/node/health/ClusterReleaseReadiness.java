package dev.molt.node.health;

import akka.actor.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import dev.molt.node.cluster.ClusterRelease;
import dev.molt.node.release.ReleaseRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Readiness check for Akka Management's {@code /ready}: a node that runs no release of the
 * cluster's application while the cluster has one (a node that joined during a rollout, or whose
 * store is empty) serves nothing and is not ready until reconciliation gave it the release.
 * Registered in {@code molt-node.conf}.
 */
public final class ClusterReleaseReadiness implements Supplier<CompletionStage<Boolean>> {
  private final ReleaseRegistry registry;
  private final ClusterRelease cluster;

  public ClusterReleaseReadiness(ActorSystem system) {
    this.registry = ReleaseRegistry.get(Adapter.toTyped(system));
    this.cluster = ClusterRelease.get(Adapter.toTyped(system));
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(runsTheClustersApplication(registry, cluster));
  }

  /** False only when the cluster has a release and this node runs none of its application. */
  public static boolean runsTheClustersApplication(ReleaseRegistry registry, ClusterRelease cluster) {
    return cluster.release().map(r -> registry.current(r.name()).isPresent()).orElse(true);
  }
}
