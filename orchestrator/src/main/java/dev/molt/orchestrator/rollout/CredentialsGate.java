package dev.molt.orchestrator.rollout;

import akka.actor.typed.Behavior;
import akka.actor.typed.BehaviorInterceptor;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.Behaviors;
import dev.molt.orchestrator.auth.Users;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Caller;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.CheckCredentials;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Command;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Control;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Distribute;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.GetFingerprints;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.PlanFor;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Problem;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.StartRollout;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credentials are the cluster's: the singleton's node's user set is the reference, and a
 * command a client sent through a node whose set differs (its fingerprint, carried in the {@link
 * Caller}) is refused with 403 before the orchestrator sees it, naming both fingerprints. Nodes
 * check their own set here too ({@link CheckCredentials}), so that they refuse mutating requests
 * themselves; what each node last reported is {@code /molt/cluster}'s fingerprint column.
 */
final class CredentialsGate extends BehaviorInterceptor<Command, Command> {
  private static final Logger log = LoggerFactory.getLogger(CredentialsGate.class);
  static final String DIFFER = "credentials differ";

  private final String fingerprint;
  private final Map<String, String> nodes = new TreeMap<>();

  CredentialsGate(String fingerprint) {
    super(Command.class);
    this.fingerprint = fingerprint;
  }

  @Override
  public Behavior<Command> aroundReceive(TypedActorContext<Command> ctx, Command msg, ReceiveTarget<Command> target) {
    if (msg instanceof CheckCredentials c) {
      c.replyTo().tell(differs(c.node(), c.fingerprint()) ? refusal(c.node(), c.fingerprint())
          : new OrchestratorProtocol.CredentialsAgree(fingerprint));
      return Behaviors.same();
    }
    if (msg instanceof GetFingerprints f) {
      f.replyTo().tell(new OrchestratorProtocol.Fingerprints(Users.prefix(fingerprint), Map.copyOf(nodes)));
      return Behaviors.same();
    }
    Caller caller = caller(msg);
    if (caller != null && differs(caller.node(), caller.fingerprint())) {
      Problem refused = refusal(caller.node(), caller.fingerprint());
      log.warn("refused {} of user '{}' through node {}: {}", msg.getClass().getSimpleName(), caller.user(), caller.node(),
          refused.detail());
      OrchestratorProtocol.replyTo(msg).ifPresent(r -> r.tell(refused));
      return Behaviors.same();
    }
    return target.apply(ctx, msg);
  }

  private boolean differs(String node, String given) {
    String before = nodes.put(node, Users.prefix(given));
    boolean differs = !fingerprint.equals(given);
    if (differs && !Users.prefix(given).equals(before)) {
      log.warn("node {}'s credentials differ from the cluster's (fingerprint {} vs {}): its mutating requests are refused",
          node, Users.prefix(given), Users.prefix(fingerprint));
    }
    return differs;
  }

  private Problem refusal(String node, String given) {
    return new Problem(403, DIFFER, "node " + node + "'s credentials differ from the cluster's (fingerprint "
        + Users.prefix(given) + " vs " + Users.prefix(fingerprint) + "); give every node the same users");
  }

  private static Caller caller(Command msg) {
    if (msg instanceof StartRollout s) {
      return s.caller();
    } else if (msg instanceof Control c) {
      return c.caller();
    } else if (msg instanceof PlanFor p) {
      return p.caller();
    } else if (msg instanceof Distribute d) {
      return d.caller();
    }
    return null;
  }
}
