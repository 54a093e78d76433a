package dev.molt.node.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.molt.node.host.CodeChange;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import dev.molt.node.supervision.ApplicationTree;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * How a pipelined change drives its blocks: path order, blocks in flight at once, the earliest
 * failure, the blocks before it, the step's deadline. The hosts are probes the test answers for.
 */
class PipelinedChangeTest {
  private static final ActorTestKit kit = ActorTestKit.create();
  private static final String STEP = "change-code counter";
  private static final CodeChange.Prepared FAILED = new CodeChange.Prepared(null, null, null, null,
      new CodeChange.Failed(HostReply.Reason.MIGRATION_FAILED, "v2 refused"));

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /** Hosts a0..a(n-1), all of them one probe: the test answers each command the step sends. */
  private record Hosts(TestProbe<Object> probe, List<ApplicationTree.Host> list) {
    static Hosts of(int count) {
      TestProbe<Object> probe = kit.createTestProbe();
      return new Hosts(probe, IntStream.range(0, count)
          .mapToObj(i -> new ApplicationTree.Host("sup", "a" + i, "counter", probe.getRef())).toList());
    }

    /** The next command the step sent; its reply ref names the host it was meant for. */
    HostCommand next() {
      return probe.expectMessageClass(HostCommand.class, Duration.ofSeconds(10));
    }

    /** The next {@code count} commands, by the host each was meant for. */
    Map<String, HostCommand> next(int count) {
      Map<String, HostCommand> asked = new HashMap<>();
      for (int i = 0; i < count; i++) {
        HostCommand command = next();
        asked.put(target(command), command);
      }
      return asked;
    }
  }

  /** Prepares nothing (every host gets an empty prepared change) and records each block's size. */
  private static final class Commands implements PipelinedChange.Commands {
    final List<Integer> prepared = Collections.synchronizedList(new ArrayList<>());
    volatile long sleepMillis;
    /** The host whose prepared migration failed, or -1. */
    volatile int failing = -1;
    volatile RuntimeException thrown;
    /** Counted down as each preparation begins. */
    final CountDownLatch preparing = new CountDownLatch(1);
    static Commands sleeping(long millis) {
      Commands commands = new Commands();
      commands.sleepMillis = millis;
      return commands;
    }

    /** Each preparation waits for this before it returns. */
    volatile CountDownLatch proceed = new CountDownLatch(0);

    @Override
    public List<CodeChange.Prepared> prepare(List<CodeChange.Source> sources) {
      prepared.add(sources.size());
      preparing.countDown();
      if (thrown != null) {
        throw thrown;
      }
      try {
        proceed.await(10, TimeUnit.SECONDS);
        TimeUnit.MILLISECONDS.sleep(sleepMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      List<CodeChange.Prepared> all = new ArrayList<>();
      for (int i = 0; i < sources.size(); i++) {
        all.add(i == failing ? FAILED : new CodeChange.Prepared(null, null, null, null, null));
      }
      return all;
    }
  }

  private static CompletableFuture<List<HostReply>> start(Hosts hosts, int size, int inFlight, Duration timeout) {
    return start(hosts, size, inFlight, timeout, new Commands(), Collections.synchronizedList(new ArrayList<>()));
  }

  private static CompletableFuture<List<HostReply>> start(Hosts hosts, int size, int inFlight, Duration timeout,
      Commands commands, List<String> touched) {
    return start(hosts, size, inFlight, timeout, commands, touched, host -> false);
  }

  private static CompletableFuture<List<HostReply>> start(Hosts hosts, int size, int inFlight, Duration timeout,
      Commands commands, List<String> touched, Predicate<ApplicationTree.Host> gone) {
    PipelinedChange change = new PipelinedChange("test", STEP, hosts.list(), size,
        System.nanoTime() + timeout.toNanos(),
        timeout, kit.system(), commands, gone);
    return CompletableFuture.supplyAsync(() -> {
      try {
        return change.run(inFlight, block -> block.forEach(h -> touched.add(h.child())));
      } catch (InstallFailure e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static String target(HostCommand command) {
    String ref = command.replyTo().toString();
    return ref.substring(ref.indexOf('(') + 1, ref.indexOf(')')).replace("sup/", "");
  }

  private static void answerLend(HostCommand command) {
    command.replyTo().tell(new HostReply.Suspended(target(command), new CodeChange.Source(null, null, null)));
  }

  private static void refuse(HostCommand command, String cause) {
    command.replyTo().tell(new HostReply.Failed(target(command), "suspend", HostReply.Reason.BUSY, cause));
  }

  private static void answerChange(HostCommand command) {
    command.replyTo().tell(new HostReply.Done(target(command), "change-code", 0, 1_000));
  }

  /** Answers every command until {@code count} hosts switched; returns the order hosts were asked to lend. */
  private static List<String> answerAll(Hosts hosts, int count) {
    List<String> lent = new ArrayList<>();
    for (int changed = 0; changed < count; ) {
      HostCommand command = hosts.next();
      if (command instanceof HostCommand.SuspendForChange) {
        lent.add(target(command));
        answerLend(command);
      } else {
        answerChange(command);
        changed++;
      }
    }
    return lent;
  }

  private static InstallFailure failure(CompletableFuture<?> run) {
    Throwable thrown = assertThrows(Exception.class, () -> run.get(20, TimeUnit.SECONDS));
    return (InstallFailure) thrown.getCause().getCause();
  }

  @Test
  void oneAtATimeChangesEveryBlockInPathOrder() throws Exception {
    Hosts hosts = Hosts.of(7);
    Commands commands = new Commands();
    List<String> touched = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<List<HostReply>> run = start(hosts, 3, 1, Duration.ofSeconds(30), commands, touched);

    assertEquals(List.of("a0", "a1", "a2", "a3", "a4", "a5", "a6"), answerAll(hosts, 7));
    List<HostReply> done = run.get(10, TimeUnit.SECONDS);
    assertEquals(7, done.size());
    assertTrue(done.stream().allMatch(r -> r instanceof HostReply.Done d && d.pausedNanos() == 1_000), done::toString);
    assertEquals(List.of(3, 3, 1), commands.prepared);
    assertEquals(List.of("a0", "a1", "a2", "a3", "a4", "a5", "a6"), touched);
  }

  @Test
  void blocksInFlightChangeAtTheSameTime() throws Exception {
    Hosts hosts = Hosts.of(6);
    CompletableFuture<List<HostReply>> run = start(hosts, 2, 3, Duration.ofSeconds(30));

    // All three blocks are asked to lend before any host answers: they overlap.
    List<HostCommand> lends = IntStream.range(0, 6).mapToObj(i -> hosts.next()).toList();
    assertTrue(lends.stream().allMatch(c -> c instanceof HostCommand.SuspendForChange), lends::toString);
    lends.forEach(PipelinedChangeTest::answerLend);
    answerAll(hosts, 6);
    assertEquals(6, run.get(10, TimeUnit.SECONDS).size());
  }

  @Test
  void theEarliestFailingBlockIsTheStepsFailureAndNoBlockStartsAfterIt() {
    Hosts hosts = Hosts.of(10);
    CompletableFuture<List<HostReply>> run = start(hosts, 1, 2, Duration.ofSeconds(30));
    Map<String, HostCommand> asked = hosts.next(2);
    // a1 fails first, a0 after it: the step still reports the earlier block.
    refuse(asked.get("a1"), "a1 failed");
    hosts.probe().expectNoMessage(Duration.ofMillis(300));
    refuse(asked.get("a0"), "a0 failed");

    InstallFailure failure = failure(run);
    assertEquals("step 'change-code counter' failed for sup/a0: a0 failed", failure.getMessage());
    hosts.probe().expectNoMessage(Duration.ofMillis(300)); // a2 and later were never asked
  }

  @Test
  void everyBlockBeforeTheFailedOneStillChanges() {
    Hosts hosts = Hosts.of(4);
    CompletableFuture<List<HostReply>> run = start(hosts, 1, 3, Duration.ofSeconds(30));
    Map<String, HostCommand> asked = hosts.next(3);
    refuse(asked.get("a2"), "a2 failed");
    answerLend(asked.get("a0"));
    answerLend(asked.get("a1"));
    List<String> changed = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      HostCommand change = hosts.next();
      assertTrue(change instanceof HostCommand.ChangeCodePrepared, change.toString());
      changed.add(target(change));
      answerChange(change);
    }

    assertEquals("step 'change-code counter' failed for sup/a2: a2 failed", failure(run).getMessage());
    assertEquals(List.of("a0", "a1"), changed.stream().sorted().toList());
    hosts.probe().expectNoMessage(Duration.ofMillis(300)); // a3 was never asked
  }

  @Test
  void aBlockWhosePreparationUsesUpTheStepsTimeIsNotSwitchedAndNoLaterBlockStarts() {
    Hosts hosts = Hosts.of(6);
    Commands commands = Commands.sleeping(2_500);
    CompletableFuture<List<HostReply>> run = start(hosts, 2, 1, Duration.ofSeconds(2), commands, new ArrayList<>());
    answerLend(hosts.next());
    answerLend(hosts.next());

    assertEquals("step 'change-code counter' failed for sup/a0: no answer within 2000 ms (TimeoutException)",
        failure(run).getMessage());
    assertEquals(List.of(2), commands.prepared);
    hosts.probe().expectNoMessage(Duration.ofMillis(300)); // neither switched nor a later block asked
  }

  @Test
  void aHostThatNeverAnswersFailsTheStepAtItsDeadline() {
    Hosts hosts = Hosts.of(2);
    CompletableFuture<List<HostReply>> run = start(hosts, 2, 1, Duration.ofSeconds(2));
    HostCommand first = hosts.next();
    HostCommand second = hosts.next();
    answerLend(target(first).equals("a0") ? first : second);

    assertEquals("step 'change-code counter' failed for sup/a1: no answer within 2000 ms (TimeoutException)",
        failure(run).getMessage());
  }

  @Test
  void aHostThatStopsWithoutAnsweringIsSkippedWithoutWaitingForTheDeadline() throws Exception {
    Hosts hosts = Hosts.of(2);
    AtomicBoolean a1Stopped = new AtomicBoolean();
    // The step's 60 s would outlast the test's own wait: only noticing that a1 left the tree ends it.
    CompletableFuture<List<HostReply>> run = start(hosts, 2, 1, Duration.ofSeconds(60), new Commands(),
        Collections.synchronizedList(new ArrayList<>()), host -> host.child().equals("a1") && a1Stopped.get());
    HostCommand first = hosts.next();
    HostCommand second = hosts.next();
    answerLend(target(first).equals("a0") ? first : second);
    a1Stopped.set(true);

    HostCommand change = hosts.next();
    assertEquals("a0", target(change));
    answerChange(change);
    assertEquals(1, run.get(10, TimeUnit.SECONDS).size());
    hosts.probe().expectNoMessage(Duration.ofMillis(300)); // a1 is never asked to change
  }

  @Test
  void aHostWhoseMigrationFailedIsAskedFirstAndTheOthersAreNeverChanged() {
    Hosts hosts = Hosts.of(3);
    Commands commands = new Commands();
    commands.failing = 1; // a1's prepared migration failed
    CompletableFuture<List<HostReply>> run = start(hosts, 3, 1, Duration.ofSeconds(30), commands,
        Collections.synchronizedList(new ArrayList<>()));
    hosts.next(3).values().forEach(PipelinedChangeTest::answerLend);

    HostCommand change = hosts.next();
    assertEquals("a1", target(change));
    change.replyTo().tell(new HostReply.Failed("a1", "change-code", HostReply.Reason.MIGRATION_FAILED, "v2 refused"));
    assertEquals("step 'change-code counter' failed for sup/a1: v2 refused", failure(run).getMessage());
    hosts.probe().expectNoMessage(Duration.ofMillis(300)); // a0 and a2 stay suspended on their code
  }

  @Test
  void blocksThatLentMeanwhileArePreparedTogether() throws Exception {
    Hosts hosts = Hosts.of(3);
    Commands commands = new Commands();
    CompletableFuture<List<HostReply>> run = start(hosts, 1, 3, Duration.ofSeconds(30), commands,
        Collections.synchronizedList(new ArrayList<>()));
    Map<String, HostCommand> asked = hosts.next(3);
    // a0 lends alone; while its block is prepared (held), a1 and a2 lend: their blocks go together.
    CountDownLatch held = new CountDownLatch(1);
    commands.proceed = held;
    answerLend(asked.get("a0"));
    assertTrue(commands.preparing.await(10, TimeUnit.SECONDS));
    answerLend(asked.get("a1"));
    answerLend(asked.get("a2"));
    held.countDown();
    answerAll(hosts, 3);
    assertEquals(3, run.get(10, TimeUnit.SECONDS).size());
    assertEquals(List.of(1, 2), commands.prepared);
  }

  @Test
  void aPreparationThatThrowsFailsItsBlockNamingTheCause() {
    Hosts hosts = Hosts.of(2);
    Commands commands = new Commands();
    commands.thrown = new IllegalStateException("no path");
    CompletableFuture<List<HostReply>> run = start(hosts, 2, 1, Duration.ofSeconds(30), commands,
        Collections.synchronizedList(new ArrayList<>()));
    hosts.next(2).values().forEach(PipelinedChangeTest::answerLend);

    assertEquals("step 'change-code counter' failed: preparing the migrations failed: java.lang.IllegalStateException: "
        + "no path", failure(run).getMessage());
    hosts.probe().expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void anInterruptedInstallThreadFailsTheStep() throws Exception {
    Hosts hosts = Hosts.of(2);
    PipelinedChange change = new PipelinedChange("test", STEP, hosts.list(), 2,
        System.nanoTime() + Duration.ofSeconds(30).toNanos(),
        Duration.ofSeconds(30), kit.system(), new Commands(), host -> false);
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    Thread install = new Thread(() -> {
      try {
        outcome.complete(change.run(1, block -> { }));
      } catch (InstallFailure e) {
        outcome.complete(e);
      }
    });
    install.start();
    hosts.next(2); // asked to lend; nobody answers
    install.interrupt();
    Object ended = outcome.get(10, TimeUnit.SECONDS);
    assertTrue(ended instanceof InstallFailure, String.valueOf(ended));
    assertEquals("step 'change-code counter' failed: interrupted while waiting for answers",
        ((InstallFailure) ended).getMessage());
  }

  @Test
  void blocksNotStartedWhenTheStepsTimeRanOutFailTheStep() {
    // a0 leaves the tree without answering; its block's preparation runs past the deadline and the
    // block ends with nothing to change. a1's block was never started: the step must not succeed.
    Hosts hosts = Hosts.of(2);
    CompletableFuture<List<HostReply>> run = start(hosts, 1, 1, Duration.ofSeconds(1), Commands.sleeping(1_500),
        new ArrayList<>(), host -> host.child().equals("a0"));
    assertEquals("a0", target(hosts.next()));

    assertEquals("step 'change-code counter' failed: the step's 1000 ms ran out after 1 of 2 actors "
        + "(molt.install.step-timeout, or the update's own timeout)", failure(run).getMessage());
    hosts.probe().expectNoMessage(Duration.ofMillis(300)); // a1 was never asked
  }
}
