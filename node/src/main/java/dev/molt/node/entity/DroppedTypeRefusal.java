package dev.molt.node.entity;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import dev.molt.node.envelope.Envelopes;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.protocol.envelope.Envelope;
import dev.molt.protocol.envelope.Rejection;
import java.util.Locale;
import java.util.Optional;

/**
 * Refuses a message that reached an entity of a type the current release dropped, as a host
 * refuses a message it cannot take: a {@code molt.rejected} envelope to the envelope's reply-to, a
 * {@link HostReply.Failed} to a control command's, else dead letters. Counted as a rejected message
 * and logged at WARN either way, so nothing is lost silently.
 */
final class DroppedTypeRefusal {
  private DroppedTypeRefusal() {}

  static void refuse(ActorContext<Object> context, String entity, Object message, String reason) {
    ReleaseRegistry.get(context.getSystem()).counters().rejected();
    String type;
    boolean told;
    if (message instanceof HostCommand command) {
      type = command(command);
      command.replyTo().tell(new HostReply.Failed(entity, type, HostReply.Reason.NOT_RUNNING, reason));
      told = true;
    } else if (message instanceof Envelope envelope) {
      Envelopes envelopes = Envelopes.get(context.getSystem());
      type = envelope.type();
      Optional<ActorRef<Envelope>> replyTo = envelopes.replyTo(envelope);
      replyTo.ifPresent(to -> to.tell(envelopes.of(Envelope.REJECTED, 1, new Rejection(envelope.type(), reason))));
      told = replyTo.isPresent();
    } else {
      type = message.getClass().getName();
      told = false;
    }
    if (!told) {
      context.getSystem().deadLetters().tell(message);
    }
    context.getLog().warn("entity {} rejected a '{}' message ({}): {}", entity, type, told ? "sender told" : "to dead letters",
        reason);
  }

  /** A command's name as the host's replies write it: {@code ChangeCode} is {@code change-code}. */
  private static String command(HostCommand command) {
    return command.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }
}
