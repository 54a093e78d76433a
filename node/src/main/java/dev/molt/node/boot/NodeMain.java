package dev.molt.node.boot;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Starts one Molt node: {@code molt-node [bundle.molt ...]}. The bundles are unpacked into the
 * store; a node that runs no release yet installs the newest of them. A restart boots the
 * permanent release. Configuration comes from {@code
 * molt-node.conf} (ports, store, cluster), overridable with {@code -D} properties and the
 * environment variables it names.
 */
public final class NodeMain {
  private NodeMain() {}

  public static void main(String[] args) {
    List<Path> bundles = Arrays.stream(args).map(Path::of).toList();
    var config = ConfigFactory.load("molt-node");
    ActorSystem.create(NodeGuardian.create(bundles), config.getString("molt.node.system-name"), config);
  }
}
