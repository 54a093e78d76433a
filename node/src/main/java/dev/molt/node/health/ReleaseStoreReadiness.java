package dev.molt.node.health;

import akka.actor.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import dev.molt.node.release.ReleaseRegistry;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Readiness check for Akka Management's {@code /ready}: the node's release store is open and
 * writable. Registered in {@code molt-node.conf}.
 */
public final class ReleaseStoreReadiness implements Supplier<CompletionStage<Boolean>> {
  private final ReleaseRegistry registry;

  public ReleaseStoreReadiness(ActorSystem system) {
    this.registry = ReleaseRegistry.get(Adapter.toTyped(system));
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(Files.isWritable(registry.store().root()));
  }
}
