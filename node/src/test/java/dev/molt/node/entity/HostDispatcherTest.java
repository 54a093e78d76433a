package dev.molt.node.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import akka.actor.ActorCell;
import akka.actor.ActorRefWithCell;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Adapter;
import dev.molt.node.agent.AgentCommand;
import dev.molt.node.agent.AgentReply;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.node.testing.MoltTestKit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every host, a tree's dynamic child and a sharded entity alike, runs on the dispatcher
 * {@code molt.host.dispatcher} names, the one Akka made its actor cell with; a name that is no
 * dispatcher stops the node at start.
 */
class HostDispatcherTest {

  @Test
  void hostsRunOnAkkasDefaultDispatcherByDefault() {
    try (BankNode node = BankNode.runningV1()) {
      assertEquals(List.of("akka.actor.default-dispatcher", "akka.actor.default-dispatcher"),
          dispatchersOfATreeChildAndAnEntity(node));
    }
  }

  @Test
  void hostsRunOnMoltsHostDispatcherWhenNamed() {
    try (BankNode node = BankNode.runningV1("molt.host.dispatcher = molt.host-dispatcher")) {
      assertEquals(List.of("molt.host-dispatcher", "molt.host-dispatcher"), dispatchersOfATreeChildAndAnEntity(node));
    }
  }

  @Test
  void hostsRunOnTheDispatcherTheSettingNames() {
    String own = """
        molt.host.dispatcher = test.hosts
        test.hosts {
          type = Dispatcher
          executor = "dev.molt.node.dispatch.PurgeSafeThreadPoolExecutor"
          thread-pool-executor.fixed-pool-size = 1
        }
        """;
    try (BankNode node = BankNode.runningV1(own)) {
      assertEquals(List.of("test.hosts", "test.hosts"), dispatchersOfATreeChildAndAnEntity(node));
    }
  }

  @Test
  void defaultNamedPutsHostsOnAkkasDefaultDispatcher() {
    try (BankNode node = BankNode.runningV1("molt.host.dispatcher = default")) {
      assertEquals(List.of("akka.actor.default-dispatcher", "akka.actor.default-dispatcher"),
          dispatchersOfATreeChildAndAnEntity(node));
    }
  }

  @Test
  void aNameThatIsNoDispatcherStopsTheNodeAtStartNamingIt() {
    try (MoltTestKit molt = MoltTestKit.create("molt.host.dispatcher = molt.no-such-dispatcher")) {
      RuntimeException refused = assertThrows(RuntimeException.class, () -> ReleaseRegistry.get(molt.kit.system()));
      Throwable cause = refused;
      while (!(cause instanceof IllegalArgumentException) && cause.getCause() != null) {
        cause = cause.getCause();
      }
      assertEquals("molt.host.dispatcher = 'molt.no-such-dispatcher' names no configured dispatcher (no section "
          + "'molt.no-such-dispatcher' with a type or an executor); use molt.host-dispatcher (Molt's), default "
          + "(Akka's default dispatcher) or the path of a dispatcher section of your own", cause.getMessage());
    }
    // A section that is not a dispatcher (Molt's host settings) is refused the same way.
    try (MoltTestKit molt = MoltTestKit.create("molt.host.dispatcher = molt.host")) {
      assertThrows(RuntimeException.class, () -> ReleaseRegistry.get(molt.kit.system()));
    }
  }

  /** Starts a dynamic child of the tree ({@code branches/b-1}) and an entity ({@code account/acc-1}); each's dispatcher. */
  private static List<String> dispatchersOfATreeChildAndAnEntity(BankNode node) {
    node.agent.tell(new AgentCommand.Deliver("branches", "b-1", node.molt.envelopes().of("deposit", 1, Map.of("amount", 5))));
    node.deposit("acc-1", 5);
    assertEquals(5, node.get("acc-1").path("balance").asLong());
    ApplicationTree tree = ((AgentReply.Tree) node.ask(AgentCommand.GetTree::new, Duration.ofSeconds(30))).tree();
    ActorRef<Object> child = tree.hosts("account").stream().filter(h -> h.supervisor().equals("branches"))
        .findFirst().orElseThrow(() -> new AssertionError("no tree child listed: " + tree.hosts())).ref();
    ActorRef<Object> entity = node.listed().stream().filter(h -> h.child().equals("acc-1"))
        .findFirst().orElseThrow(() -> new AssertionError("acc-1 not listed: " + node.listed())).ref();
    return List.of(dispatcherOf(child), dispatcherOf(entity));
  }

  private static String dispatcherOf(ActorRef<Object> host) {
    var cell = ((ActorRefWithCell) Adapter.toClassic(host)).underlying();
    return ((ActorCell) cell).dispatcher().id();
  }
}
