package dev.molt.node.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.ActorRef;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.javadsl.Adapter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Await;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;

/** Shards never move (entity state is only in memory); new ones go to the region with fewest. */
class NoRebalanceAllocationTest {
  private static final ActorTestKit kit = ActorTestKit.create();
  private final NoRebalanceAllocation strategy = new NoRebalanceAllocation();
  private final ActorRef a = region();
  private final ActorRef b = region();
  private final ActorRef c = region();

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void neverRebalancesHoweverUnevenTheShardsAre() throws Exception {
    Map<ActorRef, IndexedSeq<String>> uneven = Map.of(a, shards("1", "2", "3", "4", "5", "6"), b, shards(), c, shards("7"));
    assertEquals(Set.of(), await(strategy.rebalance(uneven, Set.of())));
  }

  @Test
  void aNewShardGoesToTheRegionWithFewestAndTheRequesterOnATie() throws Exception {
    assertEquals(b, await(strategy.allocateShard(a, "9", Map.of(a, shards("1", "2"), b, shards(), c, shards("3")))));
    assertEquals(c, await(strategy.allocateShard(c, "9", Map.of(a, shards("1"), b, shards("2"), c, shards("3")))));
  }

  private static ActorRef region() {
    return Adapter.toClassic(kit.createTestProbe().ref());
  }

  private static IndexedSeq<String> shards(String... ids) {
    return CollectionConverters.asScala(List.of(ids)).toIndexedSeq();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return Await.result(future, scala.concurrent.duration.Duration.fromNanos(Duration.ofSeconds(5).toNanos()));
  }
}
