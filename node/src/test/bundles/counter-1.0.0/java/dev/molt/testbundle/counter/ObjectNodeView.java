package dev.molt.testbundle.counter;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.spi.BehaviourContext;
import dev.molt.protocol.envelope.Envelope;

/** Replies with the state plus the version that answered. */
final class ObjectNodeView {
  private ObjectNodeView() {}

  static void reply(BehaviourContext<?> ctx, ActorRef<Envelope> to, int version, JsonNode state) {
    ObjectNode view = ((ObjectNode) state).deepCopy();
    view.put("version", version);
    ctx.reply(to, "counter", view);
  }
}
