package dev.molt.orchestrator.http;

import akka.actor.typed.ActorSystem;
import dev.molt.node.cluster.NodeName;
import dev.molt.orchestrator.auth.Credentials;
import dev.molt.orchestrator.rollout.OrchestratorProtocol;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node's credentials are the cluster's, as the singleton last answered ({@link
 * OrchestratorProtocol.CheckCredentials}): asked at start and every {@code
 * molt.http.credentials-check-interval}, and before a mutating request when no answer came yet.
 * A node whose set differs refuses its mutating requests itself, with the singleton's reason.
 */
final class ClusterCredentials {
  private static final Logger log = LoggerFactory.getLogger(ClusterCredentials.class);

  /** The singleton's last answer: empty when the credentials agree, else why not. */
  private volatile Optional<String> verdict;
  private final MoltRoutes.Singleton orchestrator;
  private final OrchestratorProtocol.Caller self;

  ClusterCredentials(ActorSystem<?> system, MoltRoutes.Singleton orchestrator) {
    this.orchestrator = orchestrator;
    // A test system without cluster has no node name; it still has the orchestrator it was given.
    String node = "cluster".equals(system.settings().config().getString("akka.actor.provider")) ? NodeName.of(system) : "local";
    this.self = new OrchestratorProtocol.Caller(null, node, Credentials.get(system).users().fingerprint());
    Duration interval = system.settings().config().getDuration("molt.http.credentials-check-interval");
    system.scheduler().scheduleWithFixedDelay(Duration.ofSeconds(1), interval, this::check, system.executionContext());
  }

  /** This node's fingerprint with {@code user}, as a command to the singleton carries it. */
  OrchestratorProtocol.Caller caller(String user) {
    return new OrchestratorProtocol.Caller(user, self.node(), self.fingerprint());
  }

  /** Why mutating requests are refused here, if they are; null when no answer could be had yet. */
  CompletionStage<Optional<String>> refusal() {
    Optional<String> known = verdict;
    return known != null ? CompletableFuture.completedFuture(known) : check();
  }

  private CompletionStage<Optional<String>> check() {
    return orchestrator.askQuick(r -> new OrchestratorProtocol.CheckCredentials(self.node(), self.fingerprint(), r))
        .thenApply(reply -> {
          Optional<String> now = reply instanceof OrchestratorProtocol.Problem p ? Optional.of(p.detail()) : Optional.empty();
          if (!now.equals(verdict)) {
            if (now.isPresent()) {
              log.warn("this node refuses mutating requests: {}", now.get());
            } else {
              log.info("credentials agree with the cluster's (fingerprint {})", dev.molt.orchestrator.auth.Users.prefix(self.fingerprint()));
            }
          }
          verdict = now;
          return now;
        })
        .exceptionally(t -> verdict); // no singleton now: the last answer stands (a node's own set never changes)
  }
}
