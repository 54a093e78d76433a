package dev.molt.node.entity;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.BehaviorInterceptor;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Lets stable code passivate an entity host ({@link #REQUEST}) the way its own {@code stop()} and
 * idle passivation do: through its shard. The shard then buffers the messages sent meanwhile and
 * starts the entity again for them once it stopped; the shard's stop message sent straight to the
 * host would stop it while the shard still delivers to it, and those messages would be lost.
 */
final class LeaveThroughShard extends BehaviorInterceptor<Object, Object> {

  /** The message that asks an entity host to leave; anything else passes to the host. */
  enum Request { INSTANCE }

  static final Request REQUEST = Request.INSTANCE;

  private final ActorRef<ClusterSharding.ShardCommand> shard;

  LeaveThroughShard(ActorRef<ClusterSharding.ShardCommand> shard) {
    super(Object.class);
    this.shard = shard;
  }

  static Behavior<Object> around(ActorRef<ClusterSharding.ShardCommand> shard, Behavior<Object> host) {
    return Behaviors.intercept(() -> new LeaveThroughShard(shard), host);
  }

  @Override
  public Behavior<Object> aroundReceive(TypedActorContext<Object> context, Object message, ReceiveTarget<Object> target) {
    if (message == REQUEST) {
      shard.tell(new ClusterSharding.Passivate<>(context.asJava().getSelf()));
      return Behaviors.same();
    }
    return target.apply(context, message);
  }
}
