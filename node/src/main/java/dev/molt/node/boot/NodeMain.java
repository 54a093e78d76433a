package dev.molt.node.boot;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.ConfigFactory;
import dev.molt.node.licence.AkkaLicence;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.slf4j.LoggerFactory;

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
    try {
      ActorSystem.create(NodeGuardian.create(bundles), config.getString("molt.node.system-name"), config);
    } catch (RuntimeException e) {
      // Akka's coordinated shutdown would end the JVM with status 0: a refused key is a failure.
      AkkaLicence.refusedKey(e).ifPresent(line -> {
        LoggerFactory.getLogger(NodeMain.class).error(line);
        System.exit(1);
      });
      throw e;
    }
  }
}
