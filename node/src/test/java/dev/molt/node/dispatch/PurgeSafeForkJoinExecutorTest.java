package dev.molt.node.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which configurations give Akka's dispatchers workers that never pin a release. */
class PurgeSafeForkJoinExecutorTest {

  @Test
  void moltsDefaultsAndTheNodesOwnConfigurationUseItForBothDispatchers() {
    assertEquals(List.of(), PurgeSafeForkJoinExecutor.dispatchersWithout(ConfigFactory.load()));
    assertEquals(List.of(), PurgeSafeForkJoinExecutor.dispatchersWithout(ConfigFactory.load("molt-node")));
  }

  @Test
  void akkasOwnExecutorsAreNamedWithTheDispatcher() {
    var akkaDefaults = ConfigFactory.parseString("""
        akka.actor.default-dispatcher.default-executor.fallback = fork-join-executor
        akka.actor.internal-dispatcher.executor = fork-join-executor
        """).withFallback(ConfigFactory.load());
    assertEquals(List.of("akka.actor.default-dispatcher (executor fork-join-executor)",
        "akka.actor.internal-dispatcher (executor fork-join-executor)"),
        PurgeSafeForkJoinExecutor.dispatchersWithout(akkaDefaults));

    var ownThreadPool = ConfigFactory.parseString("akka.actor.default-dispatcher.executor = thread-pool-executor")
        .withFallback(ConfigFactory.load());
    assertEquals(List.of("akka.actor.default-dispatcher (executor thread-pool-executor)"),
        PurgeSafeForkJoinExecutor.dispatchersWithout(ownThreadPool));
  }
}
