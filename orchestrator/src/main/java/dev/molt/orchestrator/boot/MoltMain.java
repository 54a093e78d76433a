package dev.molt.orchestrator.boot;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import com.typesafe.config.Config;
import dev.molt.node.agent.AgentReply;
import dev.molt.node.boot.NodeGuardian;
import dev.molt.node.licence.AkkaLicence;
import dev.molt.orchestrator.auth.Credentials;
import dev.molt.orchestrator.rollout.OrchestratorSingleton;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Starts one Molt node of a cluster: the node agent and its cluster agent, the orchestrator
 * singleton (hosted on the oldest node, a proxy everywhere), Molt's management routes, and
 * cluster membership. {@code molt [bundle.molt ...]}; configuration from {@code molt-node.conf}.
 */
public final class MoltMain {
  private MoltMain() {}

  public static void main(String[] args) {
    List<Path> bundles = Arrays.stream(args).map(Path::of).toList();
    var log = LoggerFactory.getLogger(MoltMain.class);
    Config config;
    try {
      config = NodeConfig.load();
    } catch (IllegalArgumentException e) {
      // A missing or unreadable file or store: one line naming the setting, no stack trace, no node.
      log.error("node configuration refused: {}", e.getMessage());
      System.exit(2);
      return;
    }
    log.info("cluster transport: {}", ClusterTls.describe(config));
    ClusterTls.startupWarning(config).ifPresent(log::warn);
    try {
      ActorSystem.create(Behaviors.<AgentReply>setup(context -> {
        // The replicator must run on every node, or the rollout state has nowhere to replicate to
        // and a new singleton finds nothing after the old one's node died.
        DistributedData.get(context.getSystem());
        credentials(context.getSystem());
        OrchestratorSingleton.init(context.getSystem());
        return NodeGuardian.create(bundles);
      }), config.getString("molt.node.system-name"), config);
    } catch (RuntimeException e) {
      // Akka's coordinated shutdown would end the JVM with status 0: a refused key is a failure.
      AkkaLicence.refusedKey(e).ifPresent(line -> {
        log.error(line);
        System.exit(1);
      });
      throw e;
    }
  }

  /** The users, read at start: a wrong entry ends the node with one line naming it, not later a route. */
  private static void credentials(ActorSystem<?> system) {
    try {
      Credentials.get(system);
    } catch (RuntimeException e) {
      Throwable cause = e;
      while (!(cause instanceof IllegalArgumentException) && cause.getCause() != null) {
        cause = cause.getCause();
      }
      LoggerFactory.getLogger(MoltMain.class).error("cannot start: {}", cause instanceof IllegalArgumentException
          ? cause.getMessage() : e.toString());
      System.exit(1);
    }
  }
}
