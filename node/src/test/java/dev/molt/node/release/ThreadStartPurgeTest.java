package dev.molt.node.release;

import static dev.molt.node.testing.MoltTestKit.V1;
import static dev.molt.node.testing.MoltTestKit.V2;
import static dev.molt.node.testing.MoltTestKit.extra;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.Behaviors;
import akka.dispatch.Dispatcher;
import dev.molt.node.host.HostActor;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import dev.molt.node.testing.CounterView;
import dev.molt.node.testing.MoltTestKit;
import dev.molt.protocol.envelope.Envelope;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The interleaving behind PurgeTest's rare failure, made to happen every time: a dispatcher starts
 * a worker thread from inside release code (a behaviour's reply needs a thread for the receiver's
 * mailbox). A new thread records the protection domains of every class on its creator's stack, so
 * unless the pool starts workers outside that stack the worker pins the release's loader for life.
 *
 * <p>The dispatcher is Molt's default one with two threads. Its first worker runs the host; the
 * host's v1 code replies to another actor of the same dispatcher, and with the only worker busy
 * running v1 the pool starts the second worker right there.
 */
class ThreadStartPurgeTest {
  private static final String DISPATCHER = "purge-test-dispatcher";

  /** Molt's host dispatcher with room for four threads, the fourth started by v1's code (see below). */
  private static final String HOST_POOL = "purge-test-host-pool";

  private final MoltTestKit molt = MoltTestKit.create(DISPATCHER + " = ${akka.actor.default-dispatcher} {\n"
      + "  fork-join-executor { parallelism-min = 2, parallelism-max = 2 }\n"
      + "}\n"
      + HOST_POOL + " = ${molt.host-dispatcher} {\n"
      + "  thread-pool-executor { core-pool-size-min = 4, core-pool-size-max = 4 }\n"
      + "}");

  /** What the receiver, on the dispatcher under test, got. */
  private final TestProbe<Envelope> replies = molt.kit.createTestProbe(Envelope.class);

  @AfterEach
  void stop() {
    molt.close();
  }

  @Test
  void v1LoaderIsCollectedAfterV1CodeMadeTheDispatcherStartAThread() throws Exception {
    molt.installCounter("1.0.0", "2.0.0");
    DispatcherSelector fresh = DispatcherSelector.fromConfig(DISPATCHER);
    ForkJoinPool pool = pool();
    ActorRef<Object> host = molt.kit.spawn(HostActor.create("counter", null), "counter", fresh);
    awaitIdle(pool);
    ActorRef<Envelope> receiver = molt.kit.spawn(forward(), "receiver", fresh);
    awaitIdle(pool);
    assertEquals(1, pool.getPoolSize(), "one worker started by stable code before v1 runs");

    v1RepliesThenIsSwappedAndPurged(host, receiver, () -> assertEquals(2, pool.getPoolSize(),
        "the second worker was started while v1's Counter.onMessage ran"));
  }

  /**
   * The same on the host dispatcher, a thread pool: it starts a thread for each task submitted while
   * it has fewer than its core size, from the submitting call. Spawning the host, spawning the
   * receiver and the test's message to the host start three; the host's v1 code replying to the
   * receiver starts the fourth.
   */
  @Test
  void v1LoaderIsCollectedAfterV1CodeMadeTheHostDispatcherStartAThread() throws Exception {
    molt.installCounter("1.0.0", "2.0.0");
    DispatcherSelector fresh = DispatcherSelector.fromConfig(HOST_POOL);
    ThreadPoolExecutor pool = threadPool();
    ActorRef<Object> host = molt.kit.spawn(HostActor.create("counter", null), "counter", fresh);
    ActorRef<Envelope> receiver = molt.kit.spawn(forward(), "receiver", fresh);
    awaitIdle(pool);
    assertEquals(2, pool.getPoolSize(), "a thread per spawn, started by stable code");

    v1RepliesThenIsSwappedAndPurged(host, receiver, () -> assertEquals(4, pool.getPoolSize(),
        "the fourth thread was started while v1's Counter.onMessage ran"));
  }

  private Behavior<Envelope> forward() {
    return Behaviors.receive(Envelope.class)
        .onAnyMessage(reply -> {
          replies.getRef().tell(reply);
          return Behaviors.same();
        }).build();
  }

  /**
   * v1's code replies to {@code receiver} (the pool starts a thread meanwhile: {@code threadStarted}
   * checks it), then the host goes to v2 and v1 is purged: its loader must be collected.
   */
  private void v1RepliesThenIsSwappedAndPurged(ActorRef<Object> host, ActorRef<Envelope> receiver, Runnable threadStarted)
      throws Exception {
    host.tell(molt.envelopes().of("get", 1, Map.of("replyTo", receiver)));
    assertEquals(1, molt.envelopes().read(replies.receiveMessage(), "counter", CounterView.class).version());
    threadStarted.run();

    WeakReference<ClassLoader> v1 = weakLoaderOf();
    var probe = molt.kit.<HostReply>createTestProbe();
    host.tell(new HostCommand.Swap(V2, extra("label", "thread-start"), probe.getRef()));
    assertInstanceOf(HostReply.Changed.class, probe.receiveMessage());
    molt.registry().makeCurrent(V2);
    molt.registry().purge(V1);

    PurgeTest.assertCollected(v1, "v1's class loader is still reachable after a dispatcher thread was started by v1's code");
  }

  private ThreadPoolExecutor threadPool() {
    Dispatcher dispatcher = (Dispatcher) molt.kit.system().classicSystem().dispatchers().lookup(HOST_POOL);
    return (ThreadPoolExecutor) dispatcher.executorService().executor();
  }

  private static void awaitIdle(ThreadPoolExecutor pool) throws InterruptedException {
    while (pool.getActiveCount() > 0 || !pool.getQueue().isEmpty()) {
      Thread.sleep(1);
    }
  }

  private ForkJoinPool pool() {
    Dispatcher dispatcher = (Dispatcher) molt.kit.system().classicSystem().dispatchers().lookup(DISPATCHER);
    return (ForkJoinPool) dispatcher.executorService().executor();
  }

  /** Until every worker of the pool waits for work, so the next task wakes one instead of starting one. */
  private static void awaitIdle(ForkJoinPool pool) throws InterruptedException {
    while (!pool.isQuiescent()) {
      Thread.sleep(1);
    }
  }

  // Kept out of the test method so that no local variable holds the release.
  private WeakReference<ClassLoader> weakLoaderOf() {
    return new WeakReference<>(molt.registry().find(V1).orElseThrow().loader());
  }
}
