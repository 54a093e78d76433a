package dev.molt.orchestrator.rollout;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.BehaviorBuilder;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.StashBuffer;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.ddata.LWWRegister;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.ddata.typed.javadsl.Replicator;
import akka.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import dev.molt.node.cluster.ClusterAgent;
import dev.molt.node.envelope.Envelopes;
import dev.molt.orchestrator.events.RolloutEvents;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Command;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Control;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Distribute;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.GetCluster;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.GetRollout;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.ListRollouts;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.PlanFor;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Problem;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Reply;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.RolloutView;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Rollouts;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.StartRollout;
import dev.molt.orchestrator.rollout.RunnerProtocol.AgentsNow;
import dev.molt.orchestrator.rollout.RunnerProtocol.Finished;
import dev.molt.orchestrator.rollout.RunnerProtocol.Progress;
import dev.molt.orchestrator.rollout.RunnerProtocol.RunControl;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.control.ControlMessages.StatusRequest;
import java.util.List;
import java.util.Optional;

/**
 * The cluster singleton that rolls releases across the nodes: a thin shell. It finds cluster agents
 * through the Receptionist, answers the API (start, views, controls; plans, the cluster view and
 * distribution through workers), reads the rollout state from Distributed Data when it starts
 * ({@code recovering}, commands stashed meanwhile), and runs each rollout in a child
 * {@link RolloutRunner}, whose progress it keeps ({@link KnownRollouts}: the view, the events, and
 * majority writes to Distributed Data, so a new singleton, after its node died, reads it and
 * carries on). The agents it knows are {@link ClusterAgents}. Between rollouts a {@link Reconciler}
 * brings late joiners onto the cluster's release.
 *
 * <p>Progress log: one INFO line per stage of a rollout, {@code rollout=<id> node=<host:port> step=... } (the
 * log key is the operators' format; the glossary calls it a log step, not a script step).
 */
public final class Orchestrator {

  public static Behavior<Command> create() {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        DistributedData.withReplicatorMessageAdapter(
            (ReplicatorMessageAdapter<Command, LWWRegister<String>> replicator) -> {
              OrchestratorSettings settings = OrchestratorSettings.from(context.getSystem().settings().config());
              return Behaviors.withStash(settings.stashCapacity(),
                  stash -> new Orchestrator(context, timers, replicator, settings).recovering(stash, 1));
            })));
  }

  private interface Internal extends Command {} // messages local to the singleton

  private record AgentsChanged(Receptionist.Listing listing) implements Internal {}

  private record StatusesForStart(StartRollout request, Gather.Gathered<NodeStatus> statuses) implements Internal {}

  private record ReconcileEnded(ActorRef<Reconciler.Msg> reconciler) implements Internal {}

  private record RunnerStopped(ActorRef<RunnerProtocol.Msg> runner) implements Internal {}

  private record ReconcileCheck() implements Internal {}

  private record Saved(Replicator.UpdateResponse<LWWRegister<String>> response) implements Internal {}

  private record Loaded(Replicator.GetResponse<LWWRegister<String>> response) implements Internal {}

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final OrchestratorSettings settings;
  private final RolloutStore store;
  private final ClusterAgents agents;
  private final KnownRollouts rollouts;
  private ActorRef<Reconciler.Msg> reconciler;
  /** The running rollout's actor; its rollout is the one not finished. */
  private ActorRef<RunnerProtocol.Msg> runner;
  /** Runners spawned, so that a runner's name is never one whose termination is still pending. */
  private int runs;
  /** Commands answered 503 while recovering because the stash was full. */
  private int refusedWhileRecovering;
  private final ActorRef<SchemaFloorWriter.Message> floorWriter;

  private Orchestrator(ActorContext<Command> context, TimerScheduler<Command> timers,
      ReplicatorMessageAdapter<Command, LWWRegister<String>> replicator, OrchestratorSettings settings) {
    this.context = context;
    this.timers = timers;
    this.settings = settings;
    this.store = new RolloutStore(replicator, DistributedData.get(context.getSystem()).selfUniqueAddress(),
        Envelopes.get(context.getSystem()).mapper(), settings.majorityTimeout(), settings.majorityReads());
    this.floorWriter = context.spawn(SchemaFloorWriter.create(settings.majorityTimeout()), "schema-floor");
    this.agents = new ClusterAgents(context.getLog());
    this.rollouts = new KnownRollouts(store, RolloutEvents.get(context.getSystem()).publisher(), floorWriter, Saved::new,
        context.getLog());
    var adapter = context.messageAdapter(Receptionist.Listing.class, AgentsChanged::new);
    context.getSystem().receptionist().tell(Receptionist.subscribe(ClusterAgent.KEY, adapter));
    MembershipEvent.subscribe(context);
    context.getLog().info("orchestrator started on {}", context.getSystem().address());
  }

  // ---- recovering: nothing acts on the cluster until the desired state was read ----

  private Behavior<Command> recovering(StashBuffer<Command> stash, int attempt) {
    store.load(attempt, Loaded::new);
    return inEveryPhase()
        .onMessage(Loaded.class, l -> loaded(l, stash, attempt))
        .onMessage(ReconcileCheck.class, c -> Behaviors.same()) // checked again once loaded
        .onAnyMessage(command -> {
          if (stash.isFull()) {
            refusedWhileRecovering++;
            context.getLog().warn("orchestrator recovering: {} commands wait already (molt.orchestrator.recovery-stash-capacity);"
                + " {} answered 503 ({} so far)", stash.size(), command.getClass().getSimpleName(), refusedWhileRecovering);
            OrchestratorProtocol.replyTo(command).ifPresent(r -> r.tell(new Problem(503, "orchestrator recovering",
                "the orchestrator is reading its state; try again")));
          } else {
            stash.stash(command);
          }
          return Behaviors.same();
        })
        .build();
  }

  private Behavior<Command> loaded(Loaded l, StashBuffer<Command> stash, int attempt) {
    if (l.response() instanceof Replicator.GetFailure<LWWRegister<String>> && attempt <= settings.majorityReads()) {
      context.getLog().info("orchestrator: rollout state not read from a majority (try {}); trying again", attempt);
      return recovering(stash, attempt + 1);
    }
    if (!(l.response() instanceof Replicator.GetSuccess<LWWRegister<String>> success)) {
      context.getLog().info("orchestrator: no rollout state in the cluster ({})", l.response().getClass().getSimpleName());
      timers.startSingleTimer("reconcile", new ReconcileCheck(), settings.reconcileAfterRollout());
      return stash.unstashAll(ready());
    }
    Rollout rollout;
    try {
      rollout = store.read(success);
    } catch (Exception e) {
      context.getLog().error("orchestrator: rollout state unreadable: {}", e.toString());
      return stash.unstashAll(ready());
    }
    rollouts.recovered(rollout);
    if (rollout.finished()) {
      context.getLog().info("orchestrator: last rollout {} is {}", rollout.id(), rollout.phase());
    } else {
      context.getLog().warn("rollout={} step=recover phase={}: a new orchestrator continues it", rollout.id(), rollout.phase());
      run(rollout, new RunnerProtocol.Recovered());
    }
    return stash.unstashAll(ready());
  }

  // ---- ready ----

  private Behavior<Command> ready() {
    return inEveryPhase()
        .onMessage(Distribute.class, d -> spawn(Distribution.create(d, agents.now(), settings.ask(), settings.install())))
        .onMessage(PlanFor.class, p -> spawn(ClusterQueries.plans(p, agents.now(), settings.ask())))
        .onMessage(GetCluster.class, c -> spawn(ClusterQueries.cluster(c, agents.now(), settings.ask())))
        .onMessage(StartRollout.class, this::startRollout)
        .onMessage(StatusesForStart.class, this::startWith)
        .onMessage(GetRollout.class, c -> answer(c.replyTo(), rollouts.view(c.id())))
        .onMessage(ListRollouts.class, c -> answer(c.replyTo(), new Rollouts(rollouts.list())))
        .onMessage(Control.class, this::control)
        .onMessage(Progress.class, p -> {
          rollouts.update(p.rollout());
          return Behaviors.same();
        })
        .onMessage(Finished.class, this::finished)
        .onMessage(RunnerStopped.class, this::runnerStopped)
        .onMessage(ReconcileCheck.class, c -> reconcileCheck())
        .onMessage(ReconcileEnded.class, e -> {
          reconciler = e.reconciler().equals(reconciler) ? null : reconciler;
          return Behaviors.same();
        })
        .build();
  }

  /** The agents, membership and the answers of Distributed Data writes, handled in every phase. */
  private BehaviorBuilder<Command> inEveryPhase() {
    return Behaviors.receive(Command.class)
        .onMessage(AgentsChanged.class, this::agentsChanged)
        .onMessage(MembershipEvent.class, this::membership)
        .onMessage(Saved.class, this::saved);
  }

  // ---- agents and membership ----

  private Behavior<Command> agentsChanged(AgentsChanged changed) {
    agents.listed(MembershipEvent.members(changed.listing(), context.getSystem()));
    if (runner != null) {
      runner.tell(new AgentsNow(agents.now()));
    }
    // A node that joined (or came back) gets the cluster's release once it has settled.
    timers.startSingleTimer("reconcile", new ReconcileCheck(), settings.reconcileSettle());
    return Behaviors.same();
  }

  /** Membership goes to the running rollout, whose installs and transfers it fails or lets wait. */
  private Behavior<Command> membership(MembershipEvent event) {
    agents.track(event);
    if (runner != null) {
      runner.tell(event);
    }
    return Behaviors.same();
  }

  private Behavior<Command> spawn(Behavior<?> worker) {
    context.spawnAnonymous(worker);
    return Behaviors.same();
  }

  private static Behavior<Command> answer(ActorRef<Reply> replyTo, Reply reply) {
    replyTo.tell(reply);
    return Behaviors.same();
  }

  // ---- reconciliation: late joiners and restarted nodes follow the cluster's permanent release ----

  private Behavior<Command> reconcileCheck() {
    if (settings.reconcile() && runner == null && !agents.isEmpty() && !rollouts.awaitsAHuman() && reconciler == null) {
      reconciler = context.spawnAnonymous(Reconciler.create(agents.now(), settings.ask(), settings.install()));
      context.watchWith(reconciler, new ReconcileEnded(reconciler));
    }
    return Behaviors.same();
  }

  // ---- rollouts ----

  private Behavior<Command> startRollout(StartRollout request) {
    Optional<Reply> refused = RolloutStart.refusal(request, rollouts.all(), rollouts.active(), agents.isEmpty());
    if (refused.isPresent()) {
      return answer(request.replyTo(), refused.get());
    }
    return spawn(Gather.create(agents.now(), NodeStatus.class, (node, r) -> new StatusRequest(r), settings.ask(),
        context.getSelf(), g -> new StatusesForStart(request, g)));
  }

  private Behavior<Command> startWith(StatusesForStart s) {
    StartRollout request = s.request();
    RolloutStart.Planned planned;
    try {
      planned = RolloutStart.plan(request, s.statuses(), rollouts.all(), rollouts.active(), agents.now());
    } catch (RolloutStart.Refused refused) {
      context.getLog().info("rollout refused: target={} application={}: {}", request.target().target(),
          request.target().application(), refused.reply());
      return answer(request.replyTo(), refused.reply());
    }
    Rollout rollout = planned.rollout();
    stopReconciling();
    rollouts.update(rollout);
    request.replyTo().tell(new OrchestratorProtocol.Accepted(rollout.id()));
    RolloutSpec spec = rollout.spec();
    context.getLog().info("rollout={} step=start target={} nodes={} batches={} mode={} canary={} autoRollback={}",
        rollout.id(), spec.target(), rollout.batches().stream().mapToInt(List::size).sum(), rollout.batches().size(), spec.mode().json(), spec.canary(),
        spec.autoRollback());
    run(rollout, planned.start());
    return Behaviors.same();
  }

  /** A rollout starts: nothing the reconciliation asked afterwards may reach a node. */
  private void stopReconciling() {
    if (reconciler != null) {
      context.getLog().info("reconcile stopped: a rollout starts");
      context.stop(reconciler);
      reconciler = null;
    }
  }

  private void run(Rollout rollout, RunnerProtocol.Start start) {
    runner = context.spawn(RolloutRunner.create(rollout, start, agents.now(), agents.unreachable(), context.getSelf(),
        floorWriter, settings), "rollout-" + rollout.id() + "-" + (++runs)); // a rollback of a finished rollout runs it again
    context.watchWith(runner, new RunnerStopped(runner));
  }

  private Behavior<Command> finished(Finished f) {
    Rollout rollout = f.rollout();
    rollouts.finished(rollout);
    runner = null;
    // Nodes that joined meanwhile (given nothing) get the cluster's release now.
    timers.startSingleTimer("reconcile", new ReconcileCheck(), settings.reconcileAfterRollout());
    long took = rollout.finishedAtMillis() - rollout.startedAtMillis();
    context.getLog().info("rollout={} done phase={} target={} nodes={} took={}ms{}", rollout.id(), rollout.phase(),
        rollout.target(), rollout.nodes().size(), took, rollout.error() == null ? "" : " error=\"" + rollout.error() + "\"");
    return Behaviors.same();
  }

  /** A runner that stopped without finishing failed: restart the singleton, which recovers from Distributed Data. */
  private Behavior<Command> runnerStopped(RunnerStopped stopped) {
    if (stopped.runner().equals(runner)) {
      throw new IllegalStateException("rollout runner " + stopped.runner().path().name() + " stopped before its rollout ended");
    }
    return Behaviors.same();
  }

  // ---- controls ----

  /** A control with a request id is applied once; a repeat (a retry after a 503) gets the first answer ({@link RequestIds}). */
  private Behavior<Command> control(Control c) {
    Rollout known = rollouts.get(c.id());
    if (known == null) {
      return answer(c.replyTo(), KnownRollouts.unknown(c.id()));
    }
    RequestedAction requested = RequestedAction.of(c.action());
    var repeated = RequestIds.repeat(known, c.requestId(), requested);
    if (repeated.isPresent()) {
      context.getLog().info("rollout={} control={} request={} repeated: answered as the first time, nothing applied",
          c.id(), c.action(), c.requestId());
      return answer(c.replyTo(), repeated.get());
    }
    if (runner != null && !known.finished()) {
      runner.tell(new RunControl(c.action(), c.requestId(), c.user(), c.replyTo()));
      return Behaviors.same();
    }
    Reply reply = controlFinished(known, c);
    if (c.requestId() != null) {
      rollouts.update(rollouts.get(c.id()).withRequest(c.requestId(), RequestIds.record(requested, reply)));
    }
    return answer(c.replyTo(), reply);
  }

  /** A finished rollout can only be rolled back ({@link FinishedControl}): it gets a runner again. */
  private Reply controlFinished(Rollout rollout, Control c) {
    Optional<Problem> refused = FinishedControl.refusal(rollout, c.action(), rollouts.latest(), rollouts.active());
    if (refused.isPresent()) {
      return refused.get();
    }
    context.getLog().warn("rollout={} step=rollback requested", rollout.id());
    stopReconciling();
    Rollout rollingBack = rollout.withError("rolled back by request").withPhase(RolloutPhase.ROLLING_BACK)
        .withRequested(RequestedAction.of(c.action()), c.user());
    rollouts.update(rollingBack);
    run(rollingBack, new RunnerProtocol.RollBack());
    return new RolloutView(rollingBack);
  }

  private Behavior<Command> saved(Saved s) {
    if (!(s.response() instanceof Replicator.UpdateSuccess)) {
      context.getLog().warn("rollout state not written to a majority: {}", s.response());
    }
    return Behaviors.same();
  }
}
