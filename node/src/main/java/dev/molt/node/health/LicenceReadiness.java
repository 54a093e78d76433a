package dev.molt.node.health;

import akka.actor.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import dev.molt.node.licence.AkkaLicence;
import dev.molt.node.licence.LicenceNotice;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Readiness check for Akka Management's {@code /ready}: a node without an Akka licence key is not
 * ready in its last minute before Akka terminates it, so load balancers drain it first. The check
 * fails with the reason ("licence: stops at ..."), which {@code /ready} shows; a plain {@code false}
 * would only say "not ok". Registered in {@code molt-node.conf}.
 */
public final class LicenceReadiness implements Supplier<CompletionStage<Boolean>> {
  private final AkkaLicence licence;
  private final Clock clock;

  public LicenceReadiness(ActorSystem system) {
    this(LicenceNotice.get(Adapter.toTyped(system)).licence(), Clock.systemUTC());
  }

  LicenceReadiness(AkkaLicence licence, Clock clock) {
    this.licence = licence;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Boolean> get() {
    if (licence.inLastMinute(clock.instant())) {
      return CompletableFuture.failedFuture(new IllegalStateException(licence.lastMinute()));
    }
    return CompletableFuture.completedFuture(true);
  }
}
