package dev.molt.orchestrator.rollout;

import akka.actor.typed.ActorRef;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Problem;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Reply;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.StartRollout;
import dev.molt.protocol.control.AgentRequest;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.release.ReleaseId;
import dev.molt.protocol.release.ReleaseVersion;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Whether a rollout may start, to what, and its plan: checked once before the nodes are asked
 * (repeats, another rollout running, the spec, no nodes), and again with their statuses: the
 * target resolved once, here, against the releases they hold ({@link #resolve}); who did not
 * answer; who is still installing. Each refusal is a {@link Problem}. A plan ({@code POST
 * /molt/plan}) previews a start, so it resolves its target here too. Pure functions; the shell
 * calls them with what it gathered.
 *
 * <p>Target resolution: a release id, or a version with the application beside it, or a bare
 * version when exactly one application holds it. A bare version several applications hold is
 * refused with the candidates: picking one by sort order once rolled out the wrong application.
 */
public final class RolloutStart {
  private RolloutStart() {}

  /** A start not made: a repeat's first answer, or a {@link Problem}. */
  static final class Refused extends Exception {
    private final transient Reply reply;

    Refused(Reply reply) {
      super(reply.toString(), null, false, false);
      this.reply = reply;
    }

    Refused(int status, String error, String detail) {
      this(new Problem(status, error, detail));
    }

    Reply reply() {
      return reply;
    }
  }

  /** The rollout (phase distributing, planned) and how its runner begins. */
  record Planned(Rollout rollout, RunnerProtocol.Fresh start) {}

  /** The answer before asking the nodes, when there is one: a repeat's first answer, or a refusal. */
  static Optional<Reply> refusal(StartRollout request, Collection<Rollout> rollouts, Optional<Rollout> active,
      boolean noAgents) {
    var repeated = RequestIds.startedBy(rollouts, request.requestId());
    if (repeated.isPresent()) {
      return repeated;
    }
    if (active.isPresent()) {
      return Optional.of(new Problem(409, "rollout running", "rollout " + active.get().id() + " is " + active.get().phase()
          + "; wait for it, or abort it"));
    }
    List<String> problems = new ArrayList<>(request.target().problems());
    problems.addAll(request.options().problems());
    if (!problems.isEmpty()) {
      return Optional.of(new Problem(400, "bad rollout spec", String.join("; ", problems)));
    }
    if (noAgents) {
      return Optional.of(new Problem(503, "no nodes", "no cluster agent (molt-agent) is known yet"));
    }
    return Optional.empty();
  }

  /** The next rollout, planned from the nodes' statuses; checks again what may have changed while they were asked. */
  static Planned plan(StartRollout request, Gather.Gathered<NodeStatus> gathered, Collection<Rollout> rollouts,
      Optional<Rollout> active, Map<String, ActorRef<AgentRequest>> agents) throws Refused {
    var repeated = RequestIds.startedBy(rollouts, request.requestId());
    if (repeated.isPresent()) { // a retry that arrived while the first was asking the nodes
      throw new Refused(repeated.get());
    }
    if (active.isPresent()) {
      throw new Refused(409, "rollout running", "rollout " + active.get().id() + " started meanwhile");
    }
    Map<String, NodeStatus> statuses = gathered.answers();
    RolloutSpec spec;
    try {
      spec = request.options().spec(resolve(request.target(), statuses.values()));
    } catch (Unresolved unresolved) {
      throw new Refused(unresolved.problem());
    }
    // Resolved against these statuses: one of them holds it.
    String holder = statuses.entrySet().stream().filter(e -> Reconciler.holds(e.getValue(), spec.target()))
        .map(Map.Entry::getKey).findFirst().orElseThrow();
    if (!gathered.missing().isEmpty()) {
      throw new Refused(503, "nodes not answering", "no status from " + gathered.missing());
    }
    List<String> busy = statuses.entrySet().stream().filter(e -> e.getValue().installing()).map(Map.Entry::getKey).toList();
    if (!busy.isEmpty()) {
      throw new Refused(409, "nodes installing", "node(s) " + busy + " are still installing; try again");
    }
    String id = "r-" + (rollouts.size() + 1) + "-" + Long.toString(System.currentTimeMillis() % 100000, 36);
    List<String> nodes = new ArrayList<>(new TreeSet<>(statuses.keySet()));
    Map<String, ReleaseId> previous = new LinkedHashMap<>();
    statuses.forEach((node, st) -> {
      if (st.running() != null) {
        previous.put(node, st.running());
      }
    });
    Rollout rollout = new Rollout(id, spec, RolloutPhase.DISTRIBUTING, List.of(), 0, Map.of(), Map.of(), null,
        System.currentTimeMillis(), 0, Map.of()).withPlan(spec.batches(nodes), previous);
    rollout = rollout.withRequested(RequestedAction.START, request.caller() == null ? null : request.caller().user());
    if (request.requestId() != null) {
      rollout = rollout.withRequest(request.requestId(), new Rollout.RequestRecord(RequestedAction.START, 202, null, null));
    }
    List<ActorRef<AgentRequest>> receivers = new ArrayList<>();
    statuses.forEach((node, st) -> {
      if (!Reconciler.holds(st, spec.target()) && agents.containsKey(node)) {
        receivers.add(agents.get(node));
      }
    });
    return new Planned(rollout, new RunnerProtocol.Fresh(holder, receivers, Map.copyOf(statuses)));
  }

  // ---- the target, resolved once ----

  /** A target not resolved, with the client's problem (400) naming why and what would do. */
  public static final class Unresolved extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Problem problem;

    Unresolved(String error, String detail) {
      super(detail, null, false, false);
      this.problem = new Problem(400, error, detail);
    }

    public Problem problem() {
      return problem;
    }
  }

  /** The target as the client named it, against what the nodes of {@code statuses} hold. */
  public static ReleaseId resolve(TargetRequest request, Collection<NodeStatus> statuses) throws Unresolved {
    TreeSet<ReleaseId> known = new TreeSet<>();
    statuses.forEach(n -> n.releases().forEach(r -> known.add(r.release())));
    return resolve(request.target(), request.application(), known);
  }

  static ReleaseId resolve(String target, String application, Collection<ReleaseId> known) throws Unresolved {
    List<ReleaseId> byId = known.stream().filter(r -> r.toString().equals(target)).toList();
    if (!byId.isEmpty()) {
      ReleaseId id = byId.get(0);
      if (application != null && !application.equals(id.name())) {
        throw new Unresolved("bad field", "target '" + target + "' is a release of '" + id.name()
            + "', not of application '" + application + "'");
      }
      return id;
    }
    if (!ReleaseVersion.isValid(target)) {
      throw new Unresolved("unknown target", "no node holds a release '" + target
          + "' (a target is a release id such as \"game-2.0.0\" or a version such as \"2.0.0\"); upload it first (POST /molt/releases)");
    }
    List<ReleaseId> candidates = known.stream()
        .filter(r -> r.version().equals(target) && (application == null || r.name().equals(application)))
        .toList();
    if (candidates.isEmpty()) {
      throw new Unresolved("unknown target", "no node holds a release '" + target + "'"
          + (application == null ? "" : " of application '" + application + "'") + "; upload it first (POST /molt/releases)");
    }
    if (candidates.size() > 1) {
      throw new Unresolved("ambiguous target", "version " + target + " is held by several applications: "
          + candidates + "; name one, e.g. {\"target\": \"" + candidates.get(0) + "\"} or {\"target\": \"" + target
          + "\", \"application\": \"" + candidates.get(0).name() + "\"}");
    }
    return candidates.get(0);
  }
}
