package dev.molt.node.boot;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.management.cluster.bootstrap.ClusterBootstrap;
import akka.management.javadsl.AkkaManagement;
import dev.molt.node.release.InvalidBundleException;
import dev.molt.node.release.LoadedRelease;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.release.StoredRelease;
import dev.molt.protocol.release.ReleaseId;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;

/**
 * The node's root actor: opens the release store, installs the bundles named at start, loads
 * what the store holds, makes the newest release of each application current, starts Akka
 * Management and joins the cluster.
 */
public final class NodeGuardian {
  // For callbacks off the actor's thread, where the context's logger must not be used.
  private static final Logger bootLog = org.slf4j.LoggerFactory.getLogger(NodeGuardian.class);

  private NodeGuardian() {}

  public static Behavior<Void> create(List<Path> bundles) {
    return Behaviors.setup(context -> {
      Logger log = context.getLog();
      var system = context.getSystem();
      ReleaseRegistry registry = ReleaseRegistry.get(system);
      log.info("node {} starting: release store {}", system.address(), registry.store().root());

      for (Path bundle : bundles) {
        try {
          registry.install(bundle);
        } catch (InvalidBundleException | RuntimeException e) {
          log.error("bundle refused at start: {}", e.getMessage());
        }
      }
      for (StoredRelease stored : registry.store().list()) {
        try {
          registry.load(stored.id());
        } catch (InvalidBundleException | RuntimeException e) {
          log.error("stored release {} cannot be loaded: {}", stored.id(), e.getMessage());
        }
      }
      Map<String, ReleaseId> newest = registry.loaded().stream()
          .map(LoadedRelease::id)
          .collect(Collectors.toMap(ReleaseId::name, Function.identity(),
              (a, b) -> Comparator.<ReleaseId>naturalOrder().compare(a, b) >= 0 ? a : b));
      newest.values().forEach(registry::makeCurrent);
      log.info("node releases: loaded={} current={}", registry.loaded().stream().map(LoadedRelease::id).toList(),
          newest.values().stream().sorted().toList());

      AkkaManagement.get(system).start().whenComplete((uri, failure) -> {
        if (failure != null) {
          bootLog.error("management HTTP did not start: {}", failure.toString());
        } else {
          bootLog.info("management HTTP at {} (/ready, /alive, /cluster/members)", uri);
        }
      });

      var config = system.settings().config();
      Cluster cluster = Cluster.get(system);
      if (config.getBoolean("molt.node.cluster-bootstrap")) {
        ClusterBootstrap.get(system).start();
        log.info("joining through Cluster Bootstrap");
      } else if (config.getStringList("akka.cluster.seed-nodes").isEmpty()) {
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        log.info("no seed nodes and no bootstrap: forming a single-node cluster at {}", cluster.selfMember().address());
      }
      return Behaviors.empty();
    });
  }
}
