package dev.molt.node.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which configurations give Akka's dispatchers and the host dispatcher threads that never pin a release. */
class PurgeSafeDispatchersTest {

  @Test
  void moltsDefaultsAndTheNodesOwnConfigurationUseItForEveryDispatcher() {
    assertEquals(List.of(), PurgeSafeDispatchers.without(ConfigFactory.load()));
    assertEquals(List.of(), PurgeSafeDispatchers.without(ConfigFactory.load("molt-node")));
    assertEquals("akka.actor.default-dispatcher", HostDispatcher.from(ConfigFactory.load()).describe());
    assertEquals(List.of(), PurgeSafeDispatchers.without(
        ConfigFactory.parseString("molt.host.dispatcher = molt.host-dispatcher").withFallback(ConfigFactory.load())));
  }

  @Test
  void akkasOwnExecutorsAreNamedWithTheDispatcher() {
    var akkaDefaults = ConfigFactory.parseString("""
        akka.actor.default-dispatcher.default-executor.fallback = fork-join-executor
        akka.actor.internal-dispatcher.executor = fork-join-executor
        """).withFallback(ConfigFactory.load());
    assertEquals(List.of("akka.actor.default-dispatcher (executor fork-join-executor)",
        "akka.actor.internal-dispatcher (executor fork-join-executor)"),
        PurgeSafeDispatchers.without(akkaDefaults));

    var ownThreadPool = ConfigFactory.parseString("akka.actor.default-dispatcher.executor = thread-pool-executor")
        .withFallback(ConfigFactory.load());
    assertEquals(List.of("akka.actor.default-dispatcher (executor thread-pool-executor)"),
        PurgeSafeDispatchers.without(ownThreadPool));
  }

  @Test
  void aHostDispatcherOfTheApplicationsOwnIsCheckedAsAkkaReadsIt() {
    var plainThreadPool = ConfigFactory.parseString("""
        molt.host.dispatcher = app.hosts
        app.hosts { type = Dispatcher, executor = thread-pool-executor }
        """).withFallback(ConfigFactory.load());
    assertEquals(List.of("app.hosts (executor thread-pool-executor)"), PurgeSafeDispatchers.without(plainThreadPool));

    // No executor of its own: Akka takes the default dispatcher's, Molt's purge-safe fork-join pool.
    var inheritsTheDefault = ConfigFactory.parseString("""
        molt.host.dispatcher = app.hosts
        app.hosts { type = Dispatcher, throughput = 1 }
        """).withFallback(ConfigFactory.load());
    assertEquals(List.of(), PurgeSafeDispatchers.without(inheritsTheDefault));

    var akkasDefault = ConfigFactory.parseString("molt.host.dispatcher = default").withFallback(ConfigFactory.load());
    assertEquals(List.of(), PurgeSafeDispatchers.without(akkasDefault));
  }
}
