package dev.molt.node.agent;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.supervision.ApplicationTree;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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
  private static final int ROUNDS = 8;
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

  static Done run(ActorSystem<?> system, ReleaseRegistry registry) {
    long started = System.nanoTime();
    ActorRef<Object> echo = system.systemActorOf(Behaviors.receiveMessage(message -> {
      if (message instanceof HostCommand.GetStatus status) {
        status.replyTo().tell(new HostReply.Done("warm-up", "status", 0, 0));
        return Behaviors.same();
      }
      return Behaviors.stopped();
    }), "molt-install-warm-up-" + System.nanoTime(), Props.empty());
    int answered = 0;
    int calls = 0;
    try {
      List<ApplicationTree.Host> hosts = Collections.nCopies(HOSTS, new ApplicationTree.Host("warm-up", "echo", "warm-up", echo));
      Asks asks = new Asks(system, Duration.ofSeconds(10), registry.settings().installMaxInFlight());
      List<Integer> items = IntStream.range(0, 64).boxed().toList();
      for (int round = 0; round < ROUNDS; round++) {
        new PipelinedBlocks("warm-up", hosts, 64, System.nanoTime() + TimeUnit.SECONDS.toNanos(10), Duration.ofSeconds(10))
            .run(registry.settings().installBlocksInFlight(), block -> {
              // Two rounds per block, as a change-code step asks its block to lend, then to switch.
              for (int ask = 0; ask < 2; ask++) {
                expectAnswered(asks.hosts(block, HostCommand.GetStatus::new));
              }
            });
        answered += 2 * HOSTS;
        calls += (int) registry.threads().callEach(items, 1, 1, Duration.ofSeconds(1),
            System.nanoTime() + TimeUnit.SECONDS.toNanos(10), "warm-up", i -> "warm-up " + i, i -> i + 1)
            .stream().filter(Integer.class::isInstance).count();
      }
      long took = System.nanoTime() - started;
      log.info("install path warmed: {} asks, {} calls on release-code threads, took={}ms", answered, calls,
          TimeUnit.NANOSECONDS.toMillis(took));
      return new Done(answered, calls, took);
    } catch (InstallFailure | RuntimeException e) {
      log.warn("install path warm-up failed (the first install meets it cold): {}", e.toString());
      return new Done(answered, calls, System.nanoTime() - started);
    } finally {
      echo.tell(STOP);
    }
  }
}
