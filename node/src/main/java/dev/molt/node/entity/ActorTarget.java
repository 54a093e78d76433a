package dev.molt.node.entity;

import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.EntityRef;

/** What an operator's actor address ({@code {supervisorOrEntityType}/{key}}) names; see {@link ActorTargets}. */
public sealed interface ActorTarget {

  /** For logs and errors: {@code supervisor/child} or {@code type/id}. */
  String path();

  /** A sharded entity, reached through sharding wherever it lives. */
  record Entity(String type, String id, EntityRef<Object> ref) implements ActorTarget {
    @Override
    public String path() {
      return type + "/" + id;
    }
  }

  /** A tree child that runs on this node now. */
  record Child(String supervisor, String child, ActorRef<Object> ref) implements ActorTarget {
    @Override
    public String path() {
      return supervisor + "/" + child;
    }
  }

  /** A dynamic child that does not run yet: its supervisor starts it for the first message. */
  record OnDemand(String supervisor, String key) implements ActorTarget {
    @Override
    public String path() {
      return supervisor + "/" + key;
    }
  }
}
