package dev.molt.node.agent;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import dev.molt.node.host.CodeChange;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.supervision.ApplicationTree;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the parts of an install that do not touch release code, at node start on the install thread
 * ({@code molt.install.warm-up}): asks fanned out in blocks to a stand-in host, and calls on
 * release-code threads, a few thousand times, so that the JIT has compiled them and their classes
 * are loaded. A node's first upgrade otherwise meets them cold while its actors are suspended
 * (bench/README.md, cold scenario: 10 actors paused ~20 ms on their first upgrade, ~15 ms after
 * this warm-up, ~7 ms on a later upgrade). Release code is never run: its own first calls stay cold.
 */
final class InstallWarmUp {
  private static final Logger log = LoggerFactory.getLogger(InstallWarmUp.class);
  private static final int HOSTS = 256;
  private static final int BLOCK = 64;
  private static final int ROUNDS = 8;
  /** The whole warm-up's bound (it takes ~0.2 s on an idle 2-core machine). */
  static final Duration LIMIT = Duration.ofSeconds(2);
  private static final AtomicBoolean RAN = new AtomicBoolean();
  private static final Object STOP = "stop";

  private InstallWarmUp() {}

  /** Every ask answered, or the warm-up fails: a stand-in that does not answer means something is wrong. */
  private static void expectAnswered(List<Asks.Answer<HostReply>> answers) throws InstallFailure {
    for (Asks.Answer<HostReply> answer : answers) {
      if (answer.error() != null) {
        throw new InstallFailure("warm-up", answer.target(), answer.error());
      }
    }
  }

  /** What the warm-up did: asks answered, calls made on release-code threads, and how long it took. */
  record Done(int asks, int calls, long nanos) {}

  /**
   * Queues the warm-up on {@code installThread} unless this JVM has run it already: loaded classes
   * and compiled code serve every node of the JVM (tests start several).
   */
  static void once(ActorSystem<?> system, ReleaseRegistry registry, Executor installThread) {
    if (RAN.compareAndSet(false, true)) {
      installThread.execute(() -> run(system, registry));
    }
  }

  /** Runs it here, within {@link #LIMIT} in all: on a starved node it stops early rather than hold the install thread. */
  static Done run(ActorSystem<?> system, ReleaseRegistry registry) {
    long started = System.nanoTime();
    long deadline = started + LIMIT.toNanos();
    int answered = 0;
    AtomicInteger calls = new AtomicInteger();
    ActorRef<Object> echo = null;
    try {
      echo = system.systemActorOf(Behaviors.receiveMessage(message -> {
        if (message instanceof HostCommand.SuspendForChange lend) {
          lend.replyTo().tell(new HostReply.Suspended("warm-up", new CodeChange.Source(null, null, null)));
        } else if (message instanceof HostCommand command) {
          command.replyTo().tell(new HostReply.Done("warm-up", "status", 0, 0));
        } else {
          return Behaviors.stopped();
        }
        return Behaviors.same();
      }), "molt-install-warm-up-" + System.nanoTime(), Props.empty());
      List<ApplicationTree.Host> hosts = Collections.nCopies(HOSTS, new ApplicationTree.Host("warm-up", "echo", "warm-up", echo));
      Asks asks = new Asks(system, LIMIT, registry.settings().installMaxInFlight());
      PipelinedChange.Commands commands = sources -> {
        // A limit per call longer than the whole warm-up: a stall (GC, a starved machine) ends the
        // batch at the deadline instead of abandoning a thread and counting it as stuck release code.
        calls.addAndGet((int) registry.threads().callEach(sources, 1, 1, LIMIT.multipliedBy(10), deadline,
            "molt.install.warm-up", source -> "warm-up call", source -> source).stream().filter(r -> r != null && !(r instanceof Throwable)).count());
        return Collections.nCopies(sources.size(), new CodeChange.Prepared(null, null, null, null, null));
      };
      for (int round = 0; round < ROUNDS && System.nanoTime() - deadline < 0; round++) {
        // A barrier step's fan-out, then a pipelined change's blocks: lend, prepare, change.
        expectAnswered(asks.until(deadline).hosts(hosts, HostCommand.GetStatus::new));
        new PipelinedChange("warm-up", "warm-up", hosts, BLOCK, deadline, LIMIT, system, commands, host -> false)
            .run(registry.settings().installBlocksInFlight(), block -> { });
        answered += 3 * HOSTS;
      }
      long took = System.nanoTime() - started;
      log.info("install path warmed: {} asks, {} calls on release-code threads, took={}ms", answered, calls.get(),
          TimeUnit.NANOSECONDS.toMillis(took));
      return new Done(answered, calls.get(), took);
    } catch (InstallFailure | RuntimeException e) {
      // Not a fault of the node: the first install meets the path cold, as without the warm-up.
      log.info("install path warm-up stopped after {} asks and {} calls: {}", answered, calls.get(), e.toString());
      return new Done(answered, calls.get(), System.nanoTime() - started);
    } finally {
      if (echo != null) {
        echo.tell(STOP);
      }
    }
  }
}
