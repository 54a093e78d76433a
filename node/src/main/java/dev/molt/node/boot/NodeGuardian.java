package dev.molt.node.boot;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.management.cluster.bootstrap.ClusterBootstrap;
import akka.management.javadsl.AkkaManagement;
import dev.molt.node.agent.AgentCommand;
import dev.molt.node.app.ApplicationHttp;
import dev.molt.node.agent.AgentReply;
import dev.molt.node.agent.NodeAgent;
import dev.molt.node.cluster.ClusterAgent;
import dev.molt.node.cluster.LocalNode;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.tls.ManagementHttps;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.release.ReleaseId;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's root actor: starts the node agent (which boots the permanent release, if any),
 * unpacks the bundles named on the command line, installs the newest of them when the node runs
 * nothing yet, starts Akka Management and joins the cluster.
 */
public final class NodeGuardian {
  // For callbacks off the actor's thread, where the context's logger must not be used.
  private static final Logger bootLog = LoggerFactory.getLogger(NodeGuardian.class);

  private NodeGuardian() {}

  public static Behavior<AgentReply> create(List<Path> bundles) {
    return Behaviors.setup(context -> {
      var system = context.getSystem();
      // Opens the store (removing what a restart cut short) before HTTP or the cluster bring bundles in.
      ReleaseRegistry.get(system);
      ApplicationHttp.get(system).start();
      ActorRef<AgentCommand> agent = context.spawn(NodeAgent.create(), "agent");
      var clusterAgent = context.spawn(ClusterAgent.create(agent), "cluster-agent");
      LocalNode.get(system).started(agent, clusterAgent);
      context.getLog().info("node {} starting with {} bundle(s) to unpack", system.address(), bundles.size());

      AkkaManagement.get(system).start(ManagementHttps.settings(system)).whenComplete((uri, failure) -> {
        if (failure != null) {
          // Without its HTTP port a node has no health checks and no API: fail fast, visibly.
          bootLog.error("management HTTP did not start ({}); stopping the node", failure.getMessage());
          system.terminate();
        } else {
          bootLog.info("management HTTP at {} (/ready, /alive, /cluster/members)", uri);
        }
      });
      var config = system.settings().config();
      Cluster cluster = Cluster.get(system);
      if (config.getBoolean("molt.node.cluster-bootstrap")) {
        ClusterBootstrap.get(system).start();
        context.getLog().info("joining through Cluster Bootstrap");
      } else if (config.getStringList("akka.cluster.seed-nodes").isEmpty()) {
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        context.getLog().info("no seed nodes and no bootstrap: forming a single-node cluster at {}", cluster.selfMember().address());
      }

      Deque<Path> pending = new ArrayDeque<>(bundles);
      if (!pending.isEmpty()) {
        agent.tell(new AgentCommand.Unpack(pending.removeFirst(), context.getSelf()));
      }
      return unpacking(agent, pending, null);
    });
  }

  private static Behavior<AgentReply> unpacking(ActorRef<AgentCommand> agent, Deque<Path> pending, ReleaseId newest) {
    return Behaviors.receive((context, reply) -> {
      ReleaseId next = newest;
      if (reply instanceof AgentReply.Unpacked unpacked) {
        if (next == null || unpacked.release().compareTo(next) > 0) {
          next = unpacked.release();
        }
      } else if (reply instanceof AgentReply.UnpackRefused refused) {
        context.getLog().error("unpack {}: {}", refused.failure(), refused.reason());
      } else if (reply instanceof AgentReply.Failed failed) {
        context.getLog().error("{}: {}", failed.command(), failed.reason());
      } else if (reply instanceof AgentReply.Tree tree) {
        if (tree.running() == null && newest != null) {
          agent.tell(new AgentCommand.Install(newest, InstallMode.BARRIER, context.getSelf()));
        } else if (tree.running() != null) {
          context.getLog().info("node runs {}", tree.running());
        }
        return Behaviors.same();
      } else if (reply instanceof AgentReply.Installed installed) {
        context.getLog().info("node runs {} ({} actors)", installed.to(), installed.actors());
        return Behaviors.same();
      }
      if (!pending.isEmpty()) {
        agent.tell(new AgentCommand.Unpack(pending.removeFirst(), context.getSelf()));
      } else if (reply instanceof AgentReply.Unpacked || reply instanceof AgentReply.UnpackRefused
          || reply instanceof AgentReply.Failed) {
        agent.tell(new AgentCommand.GetTree(context.getSelf()));
      }
      return unpacking(agent, pending, next);
    });
  }
}
