package dev.molt.orchestrator.rollout;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.ddata.LWWRegister;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.ddata.typed.javadsl.Replicator;
import akka.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import dev.molt.node.cluster.ClusterAgent;
import dev.molt.node.envelope.Envelopes;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Accepted;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.ClusterView;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Command;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Control;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Distribute;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Distributed;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.GetCluster;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.GetRollout;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.ListRollouts;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.PlanFor;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Problem;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Reply;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.RolloutView;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Rollouts;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.StartRollout;
import dev.molt.protocol.control.AgentRequest;
import dev.molt.protocol.control.ControlMessages.Ack;
import dev.molt.protocol.control.ControlMessages.InstallRequest;
import dev.molt.protocol.control.ControlMessages.InstallResult;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.control.ControlMessages.PermanentRequest;
import dev.molt.protocol.control.ControlMessages.SendBundle;
import dev.molt.protocol.control.ControlMessages.StatusRequest;
import dev.molt.protocol.control.ControlMessages.TransferResult;
import dev.molt.protocol.release.ReleaseId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The cluster singleton that rolls releases across the nodes. It finds node agents through the
 * Receptionist, distributes a release to every node before any installs it, upgrades the nodes
 * batch by batch with a health gate after each, rolls the upgraded ones back (in reverse order)
 * when one fails, and makes the release permanent everywhere at the end. The desired state of the
 * running rollout is kept in Distributed Data with majority writes, so a new singleton (after its
 * node died) reads it and carries on: nodes already on the target are simply skipped.
 *
 * <p>Progress log: one INFO line per step, {@code rollout=<id> node=<host:port> step=... }.
 */
public final class Orchestrator extends AbstractBehavior<Command> {

  public static Behavior<Command> create() {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        DistributedData.withReplicatorMessageAdapter(
            (ReplicatorMessageAdapter<Command, LWWRegister<String>> replicator) ->
                new Orchestrator(context, timers, replicator))));
  }

  private static final Duration ASK = Duration.ofSeconds(30);
  private static final Duration INSTALL = Duration.ofMinutes(30);

  // ---- internal messages (local to the singleton) ----
  private interface Internal extends Command {}

  private record AgentsChanged(Receptionist.Listing listing) implements Internal {}

  private record StatusesForStart(StartRollout request, Gather.Gathered<NodeStatus> statuses) implements Internal {}

  private record StatusesForCluster(ActorRef<Reply> replyTo, Gather.Gathered<NodeStatus> statuses) implements Internal {}

  private record StatusesForGate(String rollout, int batch, Gather.Gathered<NodeStatus> statuses) implements Internal {}

  private record StatusesForResume(Rollout rollout, Gather.Gathered<NodeStatus> statuses) implements Internal {}

  private record Transferred(String rollout, String holder, TransferResult result, Throwable failure) implements Internal {}

  private record NodeInstalled(String rollout, int batch, String node, InstallResult result, Throwable failure)
      implements Internal {}

  private record RollbackStatus(String rollout, String node, NodeStatus status, String failure) implements Internal {}

  private record ReconcileEnded(ActorRef<Reconciler.Msg> reconciler) implements Internal {}

  private record RolledBack(String rollout, String node, InstallResult result, Throwable failure) implements Internal {}

  private record MadePermanent(String rollout, Gather.Gathered<Ack> acks) implements Internal {}

  private record NextBatch(String rollout) implements Internal {}

  private record RolledBackPermanent(String rollout, Gather.Gathered<Ack> acks) implements Internal {}

  private record ReconcileCheck() implements Internal {}

  private record Saved(Replicator.UpdateResponse<LWWRegister<String>> response) implements Internal {}

  private record Loaded(Replicator.GetResponse<LWWRegister<String>> response) implements Internal {}

  private final TimerScheduler<Command> timers;
  private final RolloutStore store;
  private final Map<String, ActorRef<AgentRequest>> agents = new TreeMap<>();
  private final Map<String, Rollout> rollouts = new LinkedHashMap<>();
  private final Map<String, NodeStatus> baseline = new HashMap<>();
  private boolean pauseRequested;
  private boolean rollbackRequested;
  private int loadAttempts;
  /** Until the desired state was read, nothing may act on the cluster (no reconciliation). */
  private boolean stateLoaded;
  /** The node a rollback is waiting for; its reply alone may advance the rollback. */
  private String rollingBackNode;
  private final boolean reconcileEnabled;
  /** How long a step waits for an unreachable node before it fails (molt.orchestrator.unreachable-wait). */
  private final Duration unreachableWait;
  /** The installs of the running batch, answered or failed by membership. */
  private BatchSteps steps;
  /** Nodes taking part in the running rollout's bundle transfer (the holder and the receivers). */
  private final Set<String> transferring = new TreeSet<>();
  private final Set<String> unreachable = new TreeSet<>();
  private ActorRef<Reconciler.Msg> reconciler;
  /** Asks the node being rolled back for its settled status. */
  private ActorRef<Object> settling;

  private Orchestrator(ActorContext<Command> context, TimerScheduler<Command> timers,
      ReplicatorMessageAdapter<Command, LWWRegister<String>> replicator) {
    super(context);
    this.timers = timers;
    this.store = new RolloutStore(replicator, DistributedData.get(context.getSystem()).selfUniqueAddress(),
        Envelopes.get(context.getSystem()).mapper());
    this.reconcileEnabled = context.getSystem().settings().config().getBoolean("molt.orchestrator.reconcile");
    this.unreachableWait = context.getSystem().settings().config().getDuration("molt.orchestrator.unreachable-wait");
    var adapter = context.messageAdapter(Receptionist.Listing.class, AgentsChanged::new);
    context.getSystem().receptionist().tell(Receptionist.subscribe(ClusterAgent.KEY, adapter));
    MembershipEvent.subscribe(context);
    load();
    context.getLog().info("orchestrator started on {}", context.getSystem().address());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(AgentsChanged.class, this::agentsChanged)
        .onMessage(Distribute.class, d -> {
          getContext().spawnAnonymous(ClusterQueries.distribute(d, new TreeMap<>(agents), ASK, INSTALL));
          return this;
        })
        .onMessage(GetCluster.class, c -> {
          gatherStatuses(agents, g -> new StatusesForCluster(c.replyTo(), g));
          return this;
        })
        .onMessage(StatusesForCluster.class, s -> {
          s.replyTo().tell(new ClusterView(List.copyOf(s.statuses().answers().values()), s.statuses().missing()));
          return this;
        })
        .onMessage(PlanFor.class, p -> {
          getContext().spawnAnonymous(ClusterQueries.plans(p, new TreeMap<>(agents), ASK));
          return this;
        })
        .onMessage(StartRollout.class, this::startRollout)
        .onMessage(StatusesForStart.class, this::startWith)
        .onMessage(GetRollout.class, c -> {
          Rollout r = rollouts.get(c.id());
          c.replyTo().tell(r == null ? new Problem(404, "unknown rollout", "no rollout with id '" + c.id() + "'")
              : new RolloutView(r));
          return this;
        })
        .onMessage(ListRollouts.class, c -> {
          c.replyTo().tell(new Rollouts(List.copyOf(rollouts.values())));
          return this;
        })
        .onMessage(Control.class, this::control)
        .onMessage(Transferred.class, this::transferred)
        .onMessage(NextBatch.class, n -> runBatch(n.rollout()))
        .onMessage(NodeInstalled.class, this::nodeInstalled)
        .onMessage(MembershipEvent.class, this::membership)
        .onMessage(RollbackStatus.class, this::rollbackStatus)
        .onMessage(StatusesForGate.class, this::gate)
        .onMessage(RolledBack.class, this::rolledBack)
        .onMessage(MadePermanent.class, this::madePermanent)
        .onMessage(RolledBackPermanent.class, this::rolledBackPermanent)
        .onMessage(ReconcileCheck.class, c -> reconcileCheck())
        .onMessage(ReconcileEnded.class, e -> {
          reconciler = e.reconciler().equals(reconciler) ? null : reconciler;
          return this;
        })
        .onMessage(Loaded.class, this::loaded)
        .onMessage(GetClusterForResume.class, g -> {
          gatherStatuses(agents, st -> new StatusesForResume(g.rollout(), st));
          return this;
        })
        .onMessage(StatusesForResume.class, this::resumeWith)
        .onMessage(Saved.class, s -> {
          if (!(s.response() instanceof Replicator.UpdateSuccess)) {
            getContext().getLog().warn("rollout state not written to a majority: {}", s.response());
          }
          return this;
        })
        .build();
  }

  /** The rollout that is not finished, if any: there is at most one. */
  private String active() {
    for (Rollout rollout : rollouts.values()) {
      if (!rollout.finished()) {
        return rollout.id();
      }
    }
    return null;
  }

  // ---- agents and statuses ----

  private Behavior<Command> agentsChanged(AgentsChanged changed) {
    agents.clear();
    // All instances, unreachable ones too: a long GC is not a departure; membership says when a node is gone.
    for (ActorRef<AgentRequest> ref : changed.listing().getAllServiceInstances(ClusterAgent.KEY)) {
      if (!MembershipEvent.isMember(getContext().getSystem(), ref)) {
        continue; // downed or removed: the Receptionist has not caught up yet
      }
      agents.put(dev.molt.node.cluster.NodeName.of(ref, getContext().getSystem()), ref);
    }
    getContext().getLog().info("orchestrator sees {} node agent(s): {}", agents.size(), agents.keySet());
    // A node that joined (or came back) gets the cluster's release once it has settled.
    timers.startSingleTimer("reconcile", new ReconcileCheck(), Duration.ofSeconds(2));
    return this;
  }

  // ---- reconciliation: late joiners and restarted nodes follow the cluster's permanent release ----

  private Behavior<Command> reconcileCheck() {
    if (reconcileEnabled && stateLoaded && active() == null && !agents.isEmpty() && !lastRolloutAwaitsAHuman()
        && reconciler == null) {
      reconciler = getContext().spawnAnonymous(Reconciler.create(new TreeMap<>(agents), ASK, INSTALL));
      getContext().watchWith(reconciler, new ReconcileEnded(reconciler));
    }
    return this;
  }

  /** After a failed or aborted rollout the cluster is left as it is until someone decides. */
  private boolean lastRolloutAwaitsAHuman() {
    if (rollouts.isEmpty()) {
      return false;
    }
    String phase = new ArrayList<>(rollouts.values()).get(rollouts.size() - 1).phase();
    return phase.equals(Rollout.FAILED) || phase.equals(Rollout.ABORTED);
  }

  /** A rollout starts: nothing the reconciliation asked afterwards may reach a node. */
  private void stopReconciling() {
    if (reconciler != null) {
      getContext().getLog().info("reconcile stopped: a rollout starts");
      getContext().stop(reconciler);
      reconciler = null;
    }
  }

  private void gatherStatuses(Map<String, ActorRef<AgentRequest>> targets,
      java.util.function.Function<Gather.Gathered<NodeStatus>, Command> wrap) {
    getContext().spawnAnonymous(Gather.create(new TreeMap<>(targets), NodeStatus.class, (node, r) -> new StatusRequest(r), ASK,
        getContext().getSelf(), wrap));
  }

  // ---- rollouts ----

  private Behavior<Command> startRollout(StartRollout request) {
    var repeated = RequestIds.startedBy(rollouts.values(), request.requestId());
    if (repeated.isPresent()) {
      getContext().getLog().info("rollout start request={} repeated: answered as the first time", request.requestId());
      request.replyTo().tell(repeated.get());
      return this;
    }
    if (active() != null) {
      request.replyTo().tell(new Problem(409, "rollout running", "rollout " + active() + " is " + rollouts.get(active()).phase()
          + "; wait for it, or abort it"));
      return this;
    }
    List<String> problems = request.spec().problems();
    if (!problems.isEmpty()) {
      request.replyTo().tell(new Problem(400, "bad rollout spec", String.join("; ", problems)));
      return this;
    }
    if (agents.isEmpty()) {
      request.replyTo().tell(new Problem(503, "no nodes", "no node agent is known yet"));
      return this;
    }
    gatherStatuses(agents, g -> new StatusesForStart(request, g));
    return this;
  }

  private Behavior<Command> startWith(StatusesForStart s) {
    StartRollout request = s.request();
    RolloutSpec spec = request.spec();
    var repeated = RequestIds.startedBy(rollouts.values(), request.requestId());
    if (repeated.isPresent()) { // a retry that arrived while the first was asking the nodes
      request.replyTo().tell(repeated.get());
      return this;
    }
    if (active() != null) {
      request.replyTo().tell(new Problem(409, "rollout running", "rollout " + active() + " started meanwhile"));
      return this;
    }
    Map<String, NodeStatus> statuses = s.statuses().answers();
    String holder = statuses.entrySet().stream().filter(e -> Reconciler.holds(e.getValue(), spec.target())).map(Map.Entry::getKey)
        .findFirst().orElse(null);
    if (holder == null) {
      request.replyTo().tell(new Problem(400, "unknown target", "no node holds release " + spec.target()
          + "; upload it first (POST /molt/releases)"));
      return this;
    }
    if (!s.statuses().missing().isEmpty()) {
      request.replyTo().tell(new Problem(503, "nodes not answering", "no status from " + s.statuses().missing()));
      return this;
    }
    List<String> busy = statuses.entrySet().stream().filter(e -> e.getValue().installing()).map(Map.Entry::getKey).toList();
    if (!busy.isEmpty()) {
      request.replyTo().tell(new Problem(409, "nodes installing", "node(s) " + busy + " are still installing; try again"));
      return this;
    }
    String id = "r-" + (rollouts.size() + 1) + "-" + Long.toString(System.currentTimeMillis() % 100000, 36);
    List<String> nodes = new ArrayList<>(new java.util.TreeSet<>(statuses.keySet()));
    Map<String, ReleaseId> previous = new LinkedHashMap<>();
    statuses.forEach((node, st) -> {
      if (st.running() != null) {
        previous.put(node, st.running());
      }
    });
    baseline.clear();
    baseline.putAll(statuses);
    Rollout rollout = new Rollout(id, spec, Rollout.DISTRIBUTING, List.of(), 0, Map.of(), Map.of(), null,
        System.currentTimeMillis(), 0, Map.of()).withPlan(spec.batches(nodes), previous);
    if (request.requestId() != null) {
      rollout = rollout.withRequest(request.requestId(), new Rollout.RequestRecord("start", 202, null, null));
    }
    pauseRequested = false;
    stopReconciling();
    update(rollout);
    request.replyTo().tell(new Accepted(id));
    getContext().getLog().info("rollout={} step=start target={} nodes={} batches={} mode={} canary={} autoRollback={}",
        id, spec.target(), nodes.size(), rollout.batches().size(), spec.mode(), spec.canary(), spec.autoRollback());

    List<ActorRef<AgentRequest>> missing = new ArrayList<>();
    statuses.forEach((node, st) -> {
      if (!Reconciler.holds(st, spec.target()) && agents.containsKey(node)) {
        missing.add(agents.get(node));
      }
    });
    if (missing.isEmpty()) {
      return beginRolling(id);
    }
    transfer(id, holder, spec.target(), missing);
    return this;
  }

  /** A rollout's bundle transfer; membership fails it when the holder or a receiver is gone. */
  private void transfer(String id, String holder, ReleaseId release, List<ActorRef<AgentRequest>> to) {
    transferring.clear();
    transferring.add(holder);
    to.forEach(ref -> transferring.add(dev.molt.node.cluster.NodeName.of(ref, getContext().getSystem())));
    getContext().ask(TransferResult.class, agents.get(holder), INSTALL, r -> new SendBundle(release, to, r),
        (result, failure) -> new Transferred(id, holder, result, failure));
  }

  private Behavior<Command> transferred(Transferred t) {
    Rollout rollout = rollouts.get(t.rollout());
    if (rollout == null || !Rollout.DISTRIBUTING.equals(rollout.phase()) || transferring.isEmpty()) {
      return this; // ended meanwhile, or already failed by membership
    }
    transferring.clear();
    if (t.failure() != null || !t.result().failed().isEmpty()) {
      String why = t.failure() != null ? t.failure().getMessage() : String.join("; ", t.result().failed());
      getContext().getLog().error("rollout={} step=distribute failed: {}", rollout.id(), why);
      finish(rollout.withError("distribution failed: " + why).withPhase(Rollout.FAILED));
      return this;
    }
    getContext().getLog().info("rollout={} step=distribute release={} stored={}", rollout.id(), rollout.target(),
        t.result().stored());
    return beginRolling(rollout.id());
  }

  private Behavior<Command> beginRolling(String id) {
    update(rollouts.get(id).withPhase(Rollout.ROLLING));
    return runBatch(id);
  }

  private Behavior<Command> runBatch(String id) {
    Rollout rollout = rollouts.get(id);
    if (rollout == null || !Rollout.ROLLING.equals(rollout.phase())) {
      return this;
    }
    if (rollout.batch() >= rollout.batches().size()) {
      return makePermanent(rollout);
    }
    List<String> batch = rollout.batches().get(rollout.batch());
    Map<String, ActorRef<AgentRequest>> targets = new TreeMap<>();
    // A node already upgraded (e.g. the old singleton's node, killed after its install) is not "lost before its batch".
    List<String> gone = batch.stream().filter(n -> !agents.containsKey(n)
        && !rollout.target().equals(rollout.previous().get(n)) && !Recovery.installed(rollout, n)).toList();
    if (!gone.isEmpty()) {
      // A node died (or left) before its turn: stop, and roll back or wait for a human, per spec.
      String why = "node(s) " + gone + " left the cluster before their batch";
      getContext().getLog().warn("rollout={} step=node-lost nodes={} action={}", id, gone,
          rollout.spec().autoRollback() ? "rollback" : "pause");
      if (rollout.spec().autoRollback()) {
        return rollBack(rollout.withError(why));
      }
      update(rollout.withError(why).withPhase(Rollout.PAUSED));
      return this;
    }
    for (String node : batch) {
      ActorRef<AgentRequest> agent = agents.get(node);
      if (rollout.target().equals(rollout.previous().get(node))) {
        update(rollouts.get(id).withNode(new NodeOutcome(node, "install", "unchanged", rollout.target(), rollout.target(),
            0, 0, 0, 0, null)));
        continue;
      }
      targets.put(node, agent);
    }
    int batchIndex = rollout.batch();
    targets.keySet().removeIf(n -> Recovery.installed(rollout, n));
    steps = new BatchSteps(id, batchIndex, targets.keySet());
    targets.forEach((node, agent) -> {
      getContext().ask(InstallResult.class, agent, INSTALL, r -> new InstallRequest(rollout.target(), rollout.spec().mode(), r),
          (result, failure) -> new NodeInstalled(id, batchIndex, node, result, failure));
      if (unreachable.contains(node)) {
        timers.startSingleTimer("unreachable-" + node, new MembershipEvent.WaitExpired(node), unreachableWait);
      }
    });
    return steps.done() ? batchInstalled(steps) : this;
  }

  private Behavior<Command> nodeInstalled(NodeInstalled n) {
    if (steps == null || !steps.isFor(n.rollout(), n.batch())) {
      return this; // a late reply for a batch this rollout has moved past
    }
    if (n.failure() != null) {
      getContext().getLog().error("rollout={} node={} step=install failed: no answer: {}", n.rollout(), n.node(),
          n.failure().getMessage());
    }
    boolean counted = n.failure() == null ? steps.answered(n.node(), n.result())
        : steps.failed(n.node(), "no answer: " + n.failure().getMessage());
    return counted && steps.done() ? batchInstalled(steps) : this;
  }

  // ---- membership: a node gone fails its step at once; an unreachable one after unreachable-wait ----

  private Behavior<Command> membership(MembershipEvent event) {
    String node = event.node();
    if (event instanceof MembershipEvent.Unreachable) {
      unreachable.add(node);
      if (inFlight(node)) {
        getContext().getLog().warn("node={} unreachable (cluster membership) during its {}: waiting up to {} s", node,
            stepOf(node), unreachableWait.toSeconds());
        timers.startSingleTimer("unreachable-" + node, new MembershipEvent.WaitExpired(node), unreachableWait);
      }
    } else if (event instanceof MembershipEvent.Reachable && unreachable.remove(node)) {
      timers.cancel("unreachable-" + node);
      getContext().getLog().info("node={} reachable again (cluster membership)", node);
    } else if (event instanceof MembershipEvent.WaitExpired && unreachable.contains(node) && inFlight(node)) {
      return stepFailed(node, MembershipEvent.unreachableReason(node, unreachableWait, stepOf(node)));
    } else if (event instanceof MembershipEvent.Gone g) {
      agents.remove(node); // nothing more is asked of it; a restarted node comes back through the Receptionist
      unreachable.remove(node);
      timers.cancel("unreachable-" + node);
      if (node.equals(rollingBackNode) && active() != null) {
        Rollout rollout = rollouts.get(active());
        String why = MembershipEvent.goneReason(node, g.how(), "rollback");
        getContext().getLog().warn("rollout={} node={} step=rollback not possible: {}", rollout.id(), node, why);
        rollingBackNode = null;
        if (settling != null) {
          getContext().stop(settling);
          settling = null;
        }
        update(rollout.withNode(rollout.nodes().get(node).rolledBack("not-rolled-back", why)));
        return rollBackNext(rollouts.get(rollout.id()));
      }
      if (inFlight(node)) {
        return stepFailed(node, MembershipEvent.goneReason(node, g.how(), stepOf(node)));
      }
    }
    return this;
  }

  /** The node owes the running rollout an install or a transfer. */
  private boolean inFlight(String node) {
    return (steps != null && steps.pending(node)) || transferring.contains(node);
  }

  private String stepOf(String node) {
    return steps != null && steps.pending(node) ? "install" : "bundle transfer";
  }

  private Behavior<Command> stepFailed(String node, String why) {
    String id = active();
    getContext().getLog().error("rollout={} node={} step={} failed: {}", id, node, stepOf(node), why);
    if (steps != null && steps.pending(node)) {
      steps.failed(node, why);
      return steps.done() ? batchInstalled(steps) : this;
    }
    transferring.clear();
    Rollout rollout = id == null ? null : rollouts.get(id);
    if (rollout != null && Rollout.DISTRIBUTING.equals(rollout.phase())) {
      finish(rollout.withError("distribution failed: " + why).withPhase(Rollout.FAILED));
    }
    return this;
  }

  private Behavior<Command> batchInstalled(BatchSteps b) {
    steps = null;
    Rollout rollout = rollouts.get(b.rollout);
    if (rollout == null || !Rollout.ROLLING.equals(rollout.phase()) || rollout.batch() != b.batch) {
      return this;
    }
    String position = (b.batch + 1) + "/" + rollout.batches().size();
    String failure = null;
    boolean membership = false;
    for (var entry : b.answers().entrySet()) {
      InstallResult r = entry.getValue();
      ReleaseId from = rollout.previous().get(entry.getKey());
      if (r.ok()) {
        getContext().getLog().info("rollout={} node={} step=install from={} to={} actors={} took={}ms pause.max={}us "
                + "pause.p99={}us batch={}", rollout.id(), entry.getKey(), from == null ? "none" : from.version(),
            r.release().version(), r.actors(), r.tookMillis(), r.pauseMaxMicros(), r.pauseP99Micros(), position);
        rollout = rollout.withNode(new NodeOutcome(entry.getKey(), "install", "installed", from, r.release(),
            r.tookMillis(), r.actors(), r.pauseMaxMicros(), r.pauseP99Micros(), null));
      } else {
        String why = "step '" + r.step() + "'" + (r.actor() == null ? "" : " actor " + r.actor()) + ": " + r.reason()
            + (r.reverted() ? " (node reverted to " + (from == null ? "none" : from) + ")" : "");
        getContext().getLog().error("rollout={} node={} step=install from={} to={} failed: {} batch={}", rollout.id(),
            entry.getKey(), from == null ? "none" : from.version(), rollout.target().version(), why, position);
        rollout = rollout.withNode(new NodeOutcome(entry.getKey(), "install", "failed", from, rollout.target(), 0, 0, 0, 0, why));
        failure = failure == null ? "install on " + entry.getKey() + " failed: " + why : failure;
      }
    }
    for (var lost : b.failures().entrySet()) {
      // The install request was sent: the node may have installed. A rollback checks it once it answers.
      rollout = rollout.withNode(new NodeOutcome(lost.getKey(), "install", NodeOutcome.UNKNOWN,
          rollout.previous().get(lost.getKey()), rollout.target(), 0, 0, 0, 0, lost.getValue()));
      membership |= lost.getValue().contains("(cluster membership)");
      failure = failure == null ? "install on " + lost.getKey() + " failed: " + lost.getValue() : failure;
    }
    update(rollout);
    if (failure != null && membership && !rollout.spec().autoRollback()) {
      getContext().getLog().warn("rollout={} step=pause reason=\"{}\": waiting for a human (resume, rollback or abort)",
          rollout.id(), failure);
      update(rollout.withError(failure).withPhase(Rollout.PAUSED));
      return this;
    }
    if (failure != null) {
      return onFailure(rollout, failure);
    }
    if (rollbackRequested) {
      rollbackRequested = false;
      getContext().getLog().warn("rollout={} step=rollback requested during the batch; rolling back now", rollout.id());
      return rollBack(rollout.withError("rolled back by request"));
    }
    Map<String, ActorRef<AgentRequest>> batchAgents = new TreeMap<>();
    rollout.batches().get(b.batch).forEach(n -> {
      if (agents.containsKey(n)) {
        batchAgents.put(n, agents.get(n));
      }
    });
    gatherStatuses(batchAgents, g -> new StatusesForGate(b.rollout, b.batch, g));
    return this;
  }

  /** Health gate: each node of the batch ready, on the target, and its error counters not rising. */
  private Behavior<Command> gate(StatusesForGate g) {
    Rollout rollout = rollouts.get(g.rollout());
    if (rollout == null || !Rollout.ROLLING.equals(rollout.phase()) || rollout.batch() != g.batch()) {
      return this;
    }
    List<String> problems = HealthGate.problems(rollout.batches().get(g.batch()), rollout.target(), g.statuses(), baseline);
    String position = (g.batch() + 1) + "/" + rollout.batches().size();
    if (!problems.isEmpty()) {
      getContext().getLog().error("rollout={} step=gate batch={} failed: {}", rollout.id(), position, problems);
      return onFailure(rollout, "health gate after batch " + position + ": " + String.join("; ", problems));
    }
    getContext().getLog().info("rollout={} step=gate batch={} nodes={} ok", rollout.id(), position,
        g.statuses().answers().keySet());
    Rollout next = rollout.withBatch(g.batch() + 1);
    boolean more = next.batch() < next.batches().size();
    if (more && (pauseRequested || (rollout.spec().canary() && g.batch() == 0))) {
      pauseRequested = false;
      update(next.withPhase(Rollout.PAUSED));
      getContext().getLog().info("rollout={} step=pause batch={} reason={}", rollout.id(), position,
          rollout.spec().canary() && g.batch() == 0 ? "canary: waiting for promote" : "paused by request");
      return this;
    }
    update(next);
    if (more && rollout.spec().pauseBetweenBatchesMillis() > 0) {
      timers.startSingleTimer(new NextBatch(rollout.id()), Duration.ofMillis(rollout.spec().pauseBetweenBatchesMillis()));
      return this;
    }
    return runBatch(rollout.id());
  }

  private Behavior<Command> onFailure(Rollout rollout, String why) {
    Rollout failed = rollout.withError(why);
    if (rollout.spec().autoRollback()) {
      getContext().getLog().warn("rollout={} step=rollback reason=\"{}\" nodes={}", rollout.id(), why,
          reversed(rollout.toRollBack()));
      return rollBack(failed);
    }
    getContext().getLog().error("rollout={} step=halt reason=\"{}\": waiting for a human (rollback or abort)", rollout.id(), why);
    finish(failed.withPhase(Rollout.FAILED));
    return this;
  }

  private Behavior<Command> rollBack(Rollout rollout) {
    if (Rollout.ROLLING_BACK.equals(rollouts.get(rollout.id()).phase())) {
      return this; // one rollback chain at a time
    }
    Rollout rollingBack = rollout.withPhase(Rollout.ROLLING_BACK);
    update(rollingBack);
    return rollBackNext(rollingBack);
  }

  /**
   * Downgrades the nodes that installed or whose install outcome is unknown, one at a time, the last
   * upgraded first, each after its settled status (it may still be finishing the install, or never ran it).
   * A removed node cannot be: its restart boots the permanent release, still the old one.
   */
  private Behavior<Command> rollBackNext(Rollout rollout) {
    for (String node : reversed(rollout.toRollBack())) {
      ReleaseId back = rollout.previous().get(node);
      ActorRef<AgentRequest> agent = agents.get(node);
      if (back == null || agent == null) {
        String why = back == null ? "it ran no release before" : "it was removed from the cluster (cluster membership)";
        getContext().getLog().warn("rollout={} node={} step=rollback skipped: {}", rollout.id(), node, why);
        update(rollout.withNode(rollout.nodes().get(node).rolledBack("not-rolled-back", why)));
        return rollBackNext(rollouts.get(rollout.id()));
      }
      rollingBackNode = node;
      if (unreachable.contains(node)) {
        getContext().getLog().warn("rollout={} node={} step=rollback waits: the node is unreachable (cluster membership)",
            rollout.id(), node);
      }
      settling = getContext().spawnAnonymous(SettledStatus.create(agent, ASK, INSTALL, getContext().getSelf(),
          (status, failure) -> new RollbackStatus(rollout.id(), node, status, failure)));
      return this;
    }
    // Back on the previous release: make it permanent again where this rollout had changed that.
    Rollout done = rollouts.get(rollout.id());
    Map<String, ActorRef<AgentRequest>> targets = new TreeMap<>();
    done.nodes().forEach((node, outcome) -> {
      if ("rolled-back".equals(outcome.status()) && agents.containsKey(node)) {
        targets.put(node, agents.get(node));
      }
    });
    getContext().spawnAnonymous(Gather.create(targets, Ack.class,
        (node, r) -> new PermanentRequest(done.previous().get(node), r), ASK, getContext().getSelf(),
        g -> new RolledBackPermanent(done.id(), g)));
    return this;
  }

  private Behavior<Command> rollbackStatus(RollbackStatus s) {
    Rollout rollout = rollouts.get(s.rollout());
    if (rollout == null || !Rollout.ROLLING_BACK.equals(rollout.phase()) || !s.node().equals(rollingBackNode)) {
      return this;
    }
    settling = null;
    ReleaseId back = rollout.previous().get(s.node());
    if (s.failure() != null) {
      return rolledBack(new RolledBack(rollout.id(), s.node(), null, new IllegalStateException(s.failure())));
    }
    if (back.equals(s.status().running())) {
      getContext().getLog().info("rollout={} node={} step=rollback to={}: already on it (its install did not happen or reverted)",
          rollout.id(), s.node(), back);
      rollingBackNode = null;
      update(rollout.withNode(rollout.nodes().get(s.node()).rolledBack("rolled-back")));
      return rollBackNext(rollouts.get(rollout.id()));
    }
    getContext().ask(InstallResult.class, agents.get(s.node()), INSTALL,
        r -> new InstallRequest(back, rollout.spec().mode(), r),
        (result, failure) -> new RolledBack(rollout.id(), s.node(), result, failure));
    return this;
  }

  private Behavior<Command> rolledBackPermanent(RolledBackPermanent r) {
    Rollout rollout = rollouts.get(r.rollout());
    if (rollout == null || !Rollout.ROLLING_BACK.equals(rollout.phase())) {
      return this;
    }
    List<String> failed = failedAcks(r.acks());
    if (!failed.isEmpty()) {
      getContext().getLog().warn("rollout={} step=make-permanent after rollback failed on {}", rollout.id(), failed);
    }
    finish(rollout.withPhase(Rollout.ROLLED_BACK));
    return this;
  }

  private Behavior<Command> rolledBack(RolledBack r) {
    Rollout rollout = rollouts.get(r.rollout());
    if (rollout == null || !Rollout.ROLLING_BACK.equals(rollout.phase()) || !r.node().equals(rollingBackNode)) {
      return this;
    }
    rollingBackNode = null;
    NodeOutcome before = rollout.nodes().get(r.node());
    if (r.failure() != null || !r.result().ok()) {
      String why = r.failure() != null ? r.failure().getMessage() : r.result().reason();
      getContext().getLog().error("rollout={} node={} step=rollback to={} failed: {}", rollout.id(), r.node(),
          rollout.previous().get(r.node()), why);
      update(rollout.withNode(before.rolledBack("rollback-failed")));
    } else {
      getContext().getLog().info("rollout={} node={} step=rollback from={} to={} actors={} took={}ms", rollout.id(), r.node(),
          rollout.target().version(), r.result().release().version(), r.result().actors(), r.result().tookMillis());
      update(rollout.withNode(before.rolledBack("rolled-back")));
    }
    return rollBackNext(rollouts.get(r.rollout()));
  }

  private Behavior<Command> makePermanent(Rollout rollout) {
    Map<String, ActorRef<AgentRequest>> targets = new TreeMap<>();
    rollout.batches().forEach(b -> b.forEach(n -> {
      if (agents.containsKey(n)) {
        targets.put(n, agents.get(n));
      }
    }));
    getContext().spawnAnonymous(Gather.create(targets, Ack.class, (node, r) -> new PermanentRequest(rollout.target(), r), ASK,
        getContext().getSelf(), g -> new MadePermanent(rollout.id(), g)));
    return this;
  }

  private Behavior<Command> madePermanent(MadePermanent m) {
    Rollout rollout = rollouts.get(m.rollout());
    if (rollout == null || !Rollout.ROLLING.equals(rollout.phase())) {
      return this;
    }
    List<String> failed = failedAcks(m.acks());
    if (!failed.isEmpty()) {
      getContext().getLog().error("rollout={} step=make-permanent failed on {}", rollout.id(), failed);
      finish(rollout.withError("make-permanent failed on " + failed).withPhase(Rollout.FAILED));
      return this;
    }
    getContext().getLog().info("rollout={} step=make-permanent release={} nodes={}", rollout.id(), rollout.target(),
        m.acks().answers().keySet());
    finish(rollout.withPhase(Rollout.COMPLETED));
    return this;
  }

  private void finish(Rollout rollout) {
    update(rollout);
    steps = null;
    transferring.clear();
    if (Rollout.COMPLETED.equals(rollout.phase())) {
      store.saveCompleted(rollout, Saved::new);
    }
    // Nodes that joined meanwhile (given nothing) get the cluster's release now.
    timers.startSingleTimer("reconcile", new ReconcileCheck(), Duration.ofSeconds(1));
    long took = rollout.finishedAtMillis() - rollout.startedAtMillis();
    getContext().getLog().info("rollout={} done phase={} target={} nodes={} took={}ms{}", rollout.id(), rollout.phase(),
        rollout.target(), rollout.nodes().size(), took, rollout.error() == null ? "" : " error=\"" + rollout.error() + "\"");
  }

  /** A control with a request id is applied once; a repeat (a retry after a 503) gets the first answer ({@link RequestIds}). */
  private Behavior<Command> control(Control c) {
    Rollout known = rollouts.get(c.id());
    var repeated = known == null ? java.util.Optional.<Reply>empty() : RequestIds.repeat(known, c.requestId(), c.action());
    if (repeated.isPresent()) {
      getContext().getLog().info("rollout={} control={} request={} repeated: answered as the first time, nothing applied",
          c.id(), c.action(), c.requestId());
      c.replyTo().tell(repeated.get());
      return this;
    }
    Reply reply = applyControl(c);
    Rollout after = rollouts.get(c.id());
    if (c.requestId() != null && after != null) {
      if (after.requests().size() >= Rollout.MAX_REQUESTS) {
        getContext().getLog().warn("rollout={} keeps {} request ids: the oldest is forgotten (a repeat of it applies again)",
            c.id(), Rollout.MAX_REQUESTS);
      }
      update(after.withRequest(c.requestId(), RequestIds.record(c.action(), reply)));
    }
    c.replyTo().tell(reply);
    return this;
  }

  private Reply applyControl(Control c) {
    Rollout rollout = rollouts.get(c.id());
    if (rollout == null) {
      return new Problem(404, "unknown rollout", "no rollout with id '" + c.id() + "'");
    }
    String phase = rollout.phase();
    switch (c.action()) {
      case "pause" -> {
        if (!phase.equals(Rollout.ROLLING) && !phase.equals(Rollout.DISTRIBUTING)) {
          return conflict(c, rollout);
        }
        pauseRequested = true;
        getContext().getLog().info("rollout={} step=pause-requested: pauses after the running batch", rollout.id());
      }
      case "resume", "promote" -> {
        if (!phase.equals(Rollout.PAUSED)) {
          return conflict(c, rollout);
        }
        getContext().getLog().info("rollout={} step={}", rollout.id(), c.action());
        update(rollout.withPhase(Rollout.ROLLING));
        runBatch(rollout.id());
      }
      case "abort" -> {
        if (rollout.finished()) {
          return conflict(c, rollout);
        }
        getContext().getLog().warn("rollout={} step=abort: nodes stay where they are", rollout.id());
        finish(rollout.withPhase(Rollout.ABORTED));
      }
      case "rollback" -> {
        if (phase.equals(Rollout.ROLLING_BACK) || phase.equals(Rollout.ROLLED_BACK) || phase.equals(Rollout.ABORTED)) {
          return conflict(c, rollout);
        }
        String latest = new ArrayList<>(rollouts.keySet()).get(rollouts.size() - 1);
        if (!latest.equals(rollout.id())) {
          return new Problem(409, "not the latest rollout", "only the latest rollout (" + latest
              + ") can be rolled back; roll out the release you want instead");
        }
        if (active() != null && !active().equals(rollout.id())) {
          return new Problem(409, "rollout running", "rollout " + active() + " is running");
        }
        if (phase.equals(Rollout.ROLLING) || phase.equals(Rollout.DISTRIBUTING)) {
          // A batch is in flight: its nodes must finish (and be known as upgraded) before going back.
          rollbackRequested = true;
          getContext().getLog().warn("rollout={} step=rollback-requested: after the running batch", rollout.id());
        } else {
          getContext().getLog().warn("rollout={} step=rollback requested", rollout.id());
          rollBack(rollout.withError("rolled back by request"));
        }
      }
      default -> {
        return new Problem(400, "unknown action", "action '" + c.action()
            + "' must be pause, resume, promote, abort or rollback");
      }
    }
    return new RolloutView(rollouts.get(c.id()));
  }

  private static Problem conflict(Control c, Rollout rollout) {
    return new Problem(409, "wrong phase", "rollout " + rollout.id() + " is " + rollout.phase()
        + "; '" + c.action() + "' does not apply");
  }

  // ---- durable desired state ----

  private void update(Rollout rollout) {
    rollouts.put(rollout.id(), rollout);
    if (!store.save(rollout, Saved::new)) {
      getContext().getLog().error("rollout {} cannot be written as JSON: not saved", rollout.id());
    }
  }

  private void load() {
    loadAttempts++;
    store.load(loadAttempts, Loaded::new);
  }

  private Behavior<Command> loaded(Loaded l) {
    if (l.response() instanceof Replicator.GetFailure<LWWRegister<String>> && loadAttempts <= RolloutStore.MAJORITY_READS) {
      getContext().getLog().info("orchestrator: rollout state not read from a majority (try {}); trying again", loadAttempts);
      load();
      return this;
    }
    stateLoaded = true;
    if (!(l.response() instanceof Replicator.GetSuccess<LWWRegister<String>> success)) {
      getContext().getLog().info("orchestrator: no rollout state in the cluster ({})", l.response().getClass().getSimpleName());
      timers.startSingleTimer("reconcile", new ReconcileCheck(), Duration.ofSeconds(1));
      return this;
    }
    Rollout rollout;
    try {
      rollout = store.read(success);
    } catch (Exception e) {
      getContext().getLog().error("orchestrator: rollout state unreadable: {}", e.toString());
      return this;
    }
    rollouts.put(rollout.id(), rollout);
    if (rollout.finished()) {
      getContext().getLog().info("orchestrator: last rollout {} is {}", rollout.id(), rollout.phase());
      return this;
    }
    getContext().getLog().warn("rollout={} step=recover phase={}: a new orchestrator continues it", rollout.id(), rollout.phase());
    Rollout recovering = rollout;
    timers.startSingleTimer("recover", new GetClusterForResume(recovering), Duration.ofSeconds(2));
    return this;
  }

  /** Waits a moment after recovery for the Receptionist to list the agents. */
  private record GetClusterForResume(Rollout rollout) implements Internal {}

  private Behavior<Command> resumeWith(StatusesForResume s) {
    Rollout rollout = s.rollout();
    baseline.putAll(s.statuses().answers());
    if (rollout.phase().equals(Rollout.ROLLING_BACK)) {
      return rollBackNext(rollout);
    }
    if (rollout.phase().equals(Rollout.PAUSED)) {
      return this;
    }
    Rollout recovered = Recovery.withUnsavedInstalls(rollout, s.statuses().answers());
    if (recovered.phase().equals(Rollout.DISTRIBUTING)) {
      // The bundle may not have reached every node: distribute again (nodes that hold it are skipped).
      List<ActorRef<AgentRequest>> missing = new ArrayList<>();
      String holder = null;
      for (var e : s.statuses().answers().entrySet()) {
        if (Reconciler.holds(e.getValue(), recovered.target())) {
          holder = holder == null ? e.getKey() : holder;
        } else if (agents.containsKey(e.getKey())) {
          missing.add(agents.get(e.getKey()));
        }
      }
      update(recovered);
      if (missing.isEmpty() || holder == null) {
        return holder == null ? onFailure(recovered, "no node holds " + recovered.target() + " after the failover")
            : beginRolling(recovered.id());
      }
      transfer(recovered.id(), holder, recovered.target(), missing);
      return this;
    }
    // Continue with the first batch not yet on the target; nodes on it are skipped.
    int batch = Recovery.firstBatchToRun(recovered, s.statuses().answers());
    Rollout resumed = recovered.withBatch(batch).withPhase(Rollout.ROLLING);
    update(resumed);
    getContext().getLog().info("rollout={} step=resume batch={}/{}", rollout.id(), batch + 1, rollout.batches().size());
    return runBatch(resumed.id());
  }

  /** Nodes that did not answer or refused, with the reason. */
  private static List<String> failedAcks(Gather.Gathered<Ack> acks) {
    List<String> failed = new ArrayList<>(acks.missing());
    acks.answers().forEach((node, ack) -> {
      if (!ack.ok()) {
        failed.add(node + ": " + ack.error());
      }
    });
    return failed;
  }

  private static List<String> reversed(List<String> nodes) {
    List<String> copy = new ArrayList<>(nodes);
    Collections.reverse(copy);
    return copy;
  }
}
