package dev.molt.node.agent;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import dev.molt.node.metrics.NodeMetrics;
import dev.molt.node.release.InvalidBundleException;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.entity.Entities;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.release.ReleaseId;
import dev.molt.protocol.relup.Relup;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One install, as a child of the node agent: runs the {@link ScriptRunner} (or, on an empty node,
 * loads the first release and starts its tree), tells the agent how it ended with one
 * {@link Done}, and is stopped by the agent. The script blocks on disk and on thousands of asks, so it runs on the
 * agent's install thread; its result comes back to this actor with {@code pipeToSelf}.
 */
final class InstallWorker {

  /** How an install ended; {@code tree} is the application's tree after it (moved or not). */
  record Done(String install, ReleaseId from, ReleaseId to, InstallMode mode, int hops, long tookNanos,
      ScriptRunner.Outcome outcome, InstallFailure failure, ApplicationTree tree, ActorRef<AgentReply> replyTo)
      implements NodeAgent.Internal {}

  /** What one install needs from its node agent. */
  record Job(String install, ReleaseId from, ReleaseId to, InstallMode mode, Relup relup, ApplicationTree tree,
      ActorRef<AgentReply> replyTo) {}

  private sealed interface Message {}

  private record Ran(ScriptRunner.Outcome outcome, Throwable error) implements Message {}

  private record Loaded(Throwable error) implements Message {}

  private record TreeStarted(ApplicationController.Started started) implements Message {}

  private final ActorContext<Message> context;
  private final Job job;
  private final ActorRef<AgentCommand> agent;
  private final ActorRef<ApplicationController.Command> application;
  private final ReleaseRegistry registry;
  private final long started = System.nanoTime();
  private volatile ApplicationTree tree;

  private InstallWorker(ActorContext<Message> context, Job job, ActorRef<AgentCommand> agent,
      ActorRef<ApplicationController.Command> application, ReleaseRegistry registry) {
    this.context = context;
    this.job = job;
    this.agent = agent;
    this.application = application;
    this.registry = registry;
    this.tree = job.tree();
  }

  /** Runs {@code job.relup()} from the running release. */
  static Behavior<?> relup(Job job, ActorRef<AgentCommand> agent, ActorRef<ApplicationController.Command> application,
      ReleaseRegistry registry, Executor thread, Consumer<ProgressEvent> events) {
    return Behaviors.<Message>setup(context -> new InstallWorker(context, job, agent, application, registry)
        .runScript(thread, events));
  }

  /** Loads the first release of an empty node and starts its tree. */
  static Behavior<?> first(Job job, ActorRef<AgentCommand> agent, ActorRef<ApplicationController.Command> application,
      ReleaseRegistry registry, Executor thread) {
    return Behaviors.<Message>setup(context -> new InstallWorker(context, job, agent, application, registry)
        .loadFirst(thread));
  }

  /** An application's start or stop as a step's outcome: a failure names the application and why. */
  private static void applicationAnswer(Asks.Answer<ApplicationController.ApplicationDone> answer, String step, String app)
      throws InstallFailure {
    String failure = answer.error() != null ? answer.error() : answer.reply().failure();
    if (failure != null) {
      throw new InstallFailure(step, "application " + app, failure);
    }
  }

  private Behavior<Message> runScript(Executor thread, Consumer<ProgressEvent> events) {
    Duration stepTimeout = registry.settings().installStepTimeout();
    Asks asks = new Asks(context.getSystem(), stepTimeout, registry.settings().installMaxInFlight());
    ScriptRunner runner = new ScriptRunner(job.install(), registry, new ScriptRunner.Node() {
      public ApplicationTree tree() {
        return tree;
      }

      public ApplicationTree restartTree(ReleaseId release) {
        // The install thread asks as for every other step; the controller owns the tree.
        Asks.Answer<ApplicationController.Started> answer = asks.one(application, "application",
            r -> new ApplicationController.Start(release, r));
        if (answer.error() != null || answer.reply().failure() != null) {
          throw new IllegalStateException("the application did not restart on " + release + ": "
              + (answer.error() != null ? answer.error() : answer.reply().failure()));
        }
        tree = answer.reply().tree();
        // OTP stops the whole application before it starts again: the install goes on once the
        // entities are gone, so no message after it meets the old release's code.
        int entities;
        try {
          entities = Entities.get(context.getSystem()).passivate(Entities::isEntity).toCompletableFuture()
              .get(stepTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
          }
          throw new IllegalStateException("the entities of the application did not all stop within "
              + stepTimeout.toMillis() + " ms (molt.install.step-timeout): " + e, e);
        }
        // On the install thread: the actor's own logger is not for use here.
        org.slf4j.LoggerFactory.getLogger(InstallWorker.class).info("install={} restart of the application on {}: {} entities passivated", job.install(),
            release, entities);
        return tree;
      }

      public void startApplication(String app, ReleaseId release, String step) throws InstallFailure {
        applicationAnswer(asks.one(application, "application " + app,
            r -> new ApplicationController.StartApplication(app, release, r)), step, app);
      }

      public void stopApplication(String app, String step) throws InstallFailure {
        applicationAnswer(asks.one(application, "application " + app,
            r -> new ApplicationController.StopApplication(app, r)), step, app);
      }
    }, asks, job.mode(), events);
    context.pipeToSelf(CompletableFuture.supplyAsync(() -> {
      try {
        ScriptRunner.Outcome outcome = runner.run(job.relup());
        NodeMetrics.get(context.getSystem()).actorPauses(runner.pauseNanos());
        return outcome;
      } catch (InstallFailure e) {
        throw new CompletionException(e);
      }
    }, thread), Ran::new);
    return Behaviors.receive(Message.class).onMessage(Ran.class, this::ran).build();
  }

  private Behavior<Message> ran(Ran ran) {
    InstallFailure failure = null;
    if (ran.error() != null) {
      Throwable cause = ran.error() instanceof CompletionException c && c.getCause() != null
          ? c.getCause() : ran.error();
      failure = cause instanceof InstallFailure f ? f : new InstallFailure("install", null, cause.toString());
    } else if (ran.outcome() == null) {
      failure = new InstallFailure("install", null, "the install thread died");
    }
    return done(ran.outcome(), failure);
  }

  private Behavior<Message> loadFirst(Executor thread) {
    context.pipeToSelf(CompletableFuture.runAsync(() -> {
      try {
        registry.load(job.to());
      } catch (InvalidBundleException e) {
        throw new CompletionException(e);
      }
    }, thread), (ok, error) -> new Loaded(error));
    return Behaviors.receive(Message.class)
        .onMessage(Loaded.class, this::firstLoaded)
        .onMessage(TreeStarted.class, this::firstStarted)
        .build();
  }

  private Behavior<Message> firstLoaded(Loaded loaded) {
    if (loaded.error() != null) {
      Throwable cause = loaded.error().getCause() != null ? loaded.error().getCause() : loaded.error();
      return done(null, new InstallFailure("load", null, cause.getMessage()));
    }
    registry.makeCurrent(job.to());
    application.tell(new ApplicationController.Start(job.to(), context.messageAdapter(ApplicationController.Started.class,
        TreeStarted::new)));
    return Behaviors.same();
  }

  private Behavior<Message> firstStarted(TreeStarted started) {
    if (started.started().failure() != null) {
      return done(null, new InstallFailure("start", null, started.started().failure()));
    }
    tree = started.started().tree();
    return done(new ScriptRunner.Outcome(0, 0, 0, 0, 0), null);
  }

  private Behavior<Message> done(ScriptRunner.Outcome outcome, InstallFailure failure) {
    agent.tell(new Done(job.install(), job.from(), job.to(), job.mode(), job.relup() == null ? 0 : job.relup().hops().size(),
        System.nanoTime() - started, outcome, failure, tree, job.replyTo()));
    // The agent stops this worker once it has the Done: a stop signalled first would overtake it.
    return Behaviors.empty();
  }
}
