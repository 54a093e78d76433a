package dev.molt.node.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import dev.molt.node.testing.MoltTestKit;
import dev.molt.protocol.release.ChildSpec;
import dev.molt.protocol.release.Restart;
import dev.molt.protocol.release.Strategy;
import dev.molt.protocol.release.SupervisorSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OTP's restart strategies, restart types and intensity, on a declarative spec. */
class TreeSupervisorTest {
  private MoltTestKit molt;

  @BeforeEach
  void start() {
    molt = MoltTestKit.create();
    molt.installCounter("1.0.0");
  }

  @AfterEach
  void stop() {
    molt.close();
  }

  @Test
  void restForOneRestartsTheFailedChildAndThoseStartedAfterIt() {
    ApplicationTree tree = run(Strategy.REST_FOR_ONE, 10);
    crash(tree, "b");
    awaitCounts(tree, Map.of("a", 1L, "t", 1L, "b", 0L, "c", 0L));
  }

  @Test
  void oneForAllRestartsEveryChildButLeavesTemporaryOnesDown() {
    ApplicationTree tree = run(Strategy.ONE_FOR_ALL, 10);
    crash(tree, "c");
    awaitCounts(tree, Map.of("a", 0L, "b", 0L, "c", 0L));
    assertTrue(tree.host("sup", "t").isEmpty(), "a temporary child is not restarted");
  }

  @Test
  void oneForOneRestartsOnlyTheFailedChild() {
    ApplicationTree tree = run(Strategy.ONE_FOR_ONE, 10);
    crash(tree, "a");
    awaitCounts(tree, Map.of("a", 0L, "t", 1L, "b", 1L, "c", 1L));
  }

  @Test
  void overItsIntensityTheSupervisorGivesUp() {
    ApplicationTree tree = new ApplicationTree(MoltTestKit.V1);
    var sup = molt.kit.spawn(TreeSupervisor.create(spec(Strategy.ONE_FOR_ONE, 1), tree), "sup");
    var watcher = molt.kit.createTestProbe();
    crash(tree, "a");
    awaitCounts(tree, Map.of("a", 0L));
    crash(tree, "a");
    watcher.expectTerminated(sup, Duration.ofSeconds(30));
    molt.kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      assertTrue(tree.hosts().isEmpty(), "no dead child stays listed: " + tree.hosts());
      return null;
    });
  }

  private ApplicationTree run(Strategy strategy, int intensity) {
    ApplicationTree tree = new ApplicationTree(MoltTestKit.V1);
    molt.kit.spawn(TreeSupervisor.create(spec(strategy, intensity), tree), "sup");
    for (String child : List.of("a", "t", "b", "c")) {
      host(tree, child).tell(molt.increment(1));
    }
    awaitCounts(tree, Map.of("a", 1L, "t", 1L, "b", 1L, "c", 1L));
    return tree;
  }

  private static SupervisorSpec spec(Strategy strategy, int intensity) {
    return new SupervisorSpec("sup", strategy, intensity, 60, List.of(
        ChildSpec.worker("a", "counter", TextNode.valueOf("a")),
        new ChildSpec("t", "counter", null, Restart.TEMPORARY, null),
        ChildSpec.worker("b", "counter", null),
        ChildSpec.worker("c", "counter", null)), null);
  }

  private void crash(ApplicationTree tree, String child) {
    host(tree, child).tell(molt.envelopes().of("crash", 1, Map.of("why", "test")));
  }

  private ActorRef<Object> host(ApplicationTree tree, String child) {
    molt.kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      assertTrue(tree.host("sup", child).isPresent(), child + " runs");
      return null;
    });
    return tree.host("sup", child).orElseThrow().ref();
  }

  private void awaitCounts(ApplicationTree tree, Map<String, Long> expected) {
    molt.kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      expected.forEach((child, count) -> {
        var probe = molt.kit.<HostReply>createTestProbe();
        host(tree, child).tell(new HostCommand.GetState(probe.getRef()));
        HostReply reply = probe.receiveMessage(Duration.ofMillis(500));
        assertEquals(count, ((HostReply.State) reply).state().get("count").asLong(), child);
      });
      return null;
    });
  }
}
