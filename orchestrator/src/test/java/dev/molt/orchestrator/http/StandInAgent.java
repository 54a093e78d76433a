package dev.molt.orchestrator.http;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.molt.node.agent.AgentCommand;
import dev.molt.node.agent.AgentReply;
import dev.molt.node.entity.ActorTarget;
import dev.molt.protocol.envelope.Envelope;
import dev.molt.protocol.release.ReleaseId;
import java.util.Queue;

/**
 * The node agent as the routes see it: a rooms supervisor that starts a dynamic child per key, and
 * an unpack that takes any bundle. It puts what it was handed (a delivered envelope, an uploaded
 * bundle's size) on {@code received}, and answers an envelope carrying a {@code replyTo}.
 */
final class StandInAgent {
  private StandInAgent() {}

  static Behavior<AgentCommand> create(Queue<Object> received) {
    return Behaviors.receive((context, command) -> {
      if (command instanceof AgentCommand.Deliver d && d.message() instanceof Envelope e) {
        received.add(e);
        if (e.payload().hasNonNull("replyTo")) {
          ActorRef<Envelope> replyTo = ActorRefResolver.get(context.getSystem()).resolveActorRef(e.payload().get("replyTo").asText());
          replyTo.tell(new Envelope("room", 1, JsonNodeFactory.instance.objectNode().put("room", "r1")));
        }
      } else if (command instanceof AgentCommand.FindActor f) {
        f.replyTo().tell(new AgentReply.ActorFound(new ActorTarget.OnDemand(f.name(), f.key())));
      } else if (command instanceof AgentCommand.Unpack u) {
        received.add(java.nio.file.Files.size(u.bundle()));
        u.replyTo().tell(new AgentReply.Unpacked(new ReleaseId("game", "9.9.9"), "sha"));
      }
      return Behaviors.same();
    });
  }
}
