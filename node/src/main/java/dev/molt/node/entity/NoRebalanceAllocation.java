package dev.molt.node.entity;

import akka.actor.ActorRef;
import akka.cluster.sharding.ShardCoordinator;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;

/**
 * Places a new shard on the region with the fewest shards (the requester on a tie) and never moves
 * a shard. An entity's state lives only in its host's memory, so a rebalance would restart it with
 * its start state; and during a rollout it would move entities between nodes on different releases.
 * Shards move only when their node leaves the cluster (its entities restart on another node, on
 * that node's current release).
 */
final class NoRebalanceAllocation extends ShardCoordinator.AbstractShardAllocationStrategy {

  @Override
  public Future<ActorRef> allocateShard(ActorRef requester, String shardId,
      Map<ActorRef, IndexedSeq<String>> currentShardAllocations) {
    ActorRef least = currentShardAllocations.entrySet().stream()
        .min(Comparator.<Map.Entry<ActorRef, IndexedSeq<String>>>comparingInt(e -> e.getValue().size())
            .thenComparing(e -> !e.getKey().equals(requester)))
        .map(Map.Entry::getKey)
        .orElse(requester);
    return Future.successful(least);
  }

  @Override
  public Future<Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> currentShardAllocations,
      Set<String> rebalanceInProgress) {
    return Future.successful(Set.of());
  }
}
