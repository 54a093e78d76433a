package dev.molt.node.release;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs release code that must not wedge the node (loading and warming a release, hooks,
 * rehearsals, state migrations) on threads the caller can abandon, within a time limit.
 *
 * <p>Java cannot stop a thread safely ({@code Thread.stop} corrupts whatever the thread was
 * changing), so a call over its limit is interrupted and abandoned: the caller gets a {@link
 * ReleaseCodeTimeoutException} naming the call, the thread and where it was, and goes on. The
 * thread is counted in {@link NodeCounters#stuckThreads()} and logged at WARN with its stack top
 * until it returns, if ever. The pool grows as needed (an abandoned thread is never waited for)
 * and its threads are named daemons, {@code molt-release-code-N}: visible in a thread dump and
 * never holding up the JVM's exit.
 */
public final class ReleaseThreads {
  private static final Logger log = LoggerFactory.getLogger(ReleaseThreads.class);
  /** How long a caller on a dispatcher thread waits before telling the pool it blocks. */
  private static final long PLAIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /**
   * How long a caller spins for the answer before it parks: most migrations take microseconds, and
   * waking a parked caller costs tens of them, on the actor's pause.
   */
  private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
  /**
   * How long a call may wait for a thread to start it. Its limit counts from when it starts: on a
   * loaded machine a thread can take seconds to be scheduled, and that is not the release code's time.
   */
  private static final long START_BOUND_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final long NOT_STARTED = Long.MIN_VALUE;
  private static final int STACK_FRAMES_LOGGED = 8;

  /** Release code with the exception it declares. */
  public interface Body<T, E extends Exception> {
    T run() throws E;
  }

  private final NodeCounters counters;
  private final ReleaseCodeWorkers pool = new ReleaseCodeWorkers();
  /** Hands a call to the pool; a test puts a delay in between, as a loaded machine does. */
  private final Executor starter;
  private final ReleaseCodeQueue queue;

  ReleaseThreads(NodeCounters counters) {
    this(counters, java.util.function.UnaryOperator.identity());
  }

  ReleaseThreads(NodeCounters counters, java.util.function.UnaryOperator<Executor> startDelay) {
    this.counters = counters;
    this.starter = startDelay.apply(pool::execute);
    this.queue = new ReleaseCodeQueue(starter, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Runs {@code body} on a release-code thread and returns its result, or throws what it threw.
   *
   * @param what the call, for the error and the log ("warm-up of counter-2.0.0")
   * @param setting the configuration key of {@code limit}, for the error
   * @throws ReleaseCodeTimeoutException {@code body} did not return within {@code limit}
   */
  public <T, E extends Exception> T call(String what, Duration limit, String setting, Body<T, E> body) throws E {
    return call(what, limit, setting, body, null);
  }

  /**
   * The same; {@code lateResult} gets what an abandoned call returns if it ever does, so that the
   * caller's resources (a class loader) are released rather than lost.
   */
  <T, E extends Exception> T call(String what, Duration limit, String setting, Body<T, E> body, Consumer<T> lateResult)
      throws E {
    Task<T> task = new Task<>(what, body, lateResult);
    starter.execute(task);
    boolean interrupted = await(task, limit);
    boolean started = task.started();
    if (!task.done() && task.abandon()) {
      throw new ReleaseCodeTimeoutException(what, timeoutBound(interrupted, started, limit, setting),
          task.describeAbandoned());
    }
    return task.<E>result();
  }

  /**
   * Queues {@code body} for a release-code thread and returns at once; {@code whenDone} is told on
   * that thread when it returned (or threw) in time. The caller watches the call: past {@link
   * Task#deadlineNanos} it {@link Task#abandon abandons} it, and {@code whenDone} is never told.
   *
   * @param what the call, for the error and the log
   */
  public <T> Task<T> queue(String what, Body<T, ? extends Exception> body, Consumer<Task<T>> whenDone) {
    Task<T> task = new Task<>(what, body, null);
    task.queued(whenDone, queue::threadLost, queue::lastMoved);
    queue.add(task);
    return task;
  }

  /** Release code run once per item, with the item. */
  public interface ItemBody<I, R> { R run(I item); }

  /**
   * Runs {@code body} for every item on release-code threads, back to back, each item within
   * {@code limitPerItem}, all by {@code deadlineNanos}: see {@link ReleaseCodeBatch}.
   *
   * @param what each item's call, for the error and the log
   */
  public <I, R> List<Object> callEach(List<I> items, int initialThreads, int maxThreads, Duration limitPerItem,
      long deadlineNanos, String setting, Function<I, String> what, ItemBody<I, R> body) {
    return new ReleaseCodeBatch<>(this, items, limitPerItem, setting, what, body)
        .run(initialThreads, maxThreads, deadlineNanos);
  }

  /** Starts the body made for the task on a release-code thread; the caller watches the task. */
  <T> Task<T> start(String what, Function<Task<T>, Body<T, ? extends Exception>> body) {
    AtomicReference<Task<T>> self = new AtomicReference<>();
    Task<T> task = new Task<>(what, () -> body.apply(self.get()).run(), null);
    self.set(task);
    starter.execute(task);
    return task;
  }

  static String timeoutBound(boolean interrupted, boolean started, Duration limit, String setting) {
    return interrupted ? "was interrupted while waiting"
        : started ? "did not finish within " + limit.toMillis() + " ms (" + setting + ")"
        : "did not start within " + TimeUnit.NANOSECONDS.toSeconds(Math.max(limit.toNanos(), START_BOUND_NANOS))
            + " s: no release-code thread was scheduled (the node is overloaded)";
  }

  /** Waits for {@code task} within {@code limit} (of its current turn); true if interrupted meanwhile. */
  private static boolean await(Task<?> task, Duration limit) {
    try {
      task.await(limit.toNanos());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** Ends idle threads; stuck ones are daemons and stay until they return. */
  void shutdown() {
    pool.shutdown();
  }

  /** One call. States: NEW, RUNNING, DONE, ABANDONED (before or while it ran). */
  public final class Task<T> implements Runnable {
    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;
    private static final int ABANDONED = 3;

    /** The call, or the item a run of {@link #callEach} is at: its limit counts from the item's start. */
    private volatile String what;
    private final Body<T, ? extends Exception> body;
    private final Consumer<T> lateResult;
    /** Told when the call returned in time (a queued call's caller); null for a caller that waits. */
    private volatile Consumer<Task<T>> whenDone;
    /** Told when the thread running this call is abandoned (a queue loses one of its threads). */
    private volatile Runnable threadLost;
    /** When a queued call's queue last started a call: waiting behind others is not being stuck. */
    private volatile LongSupplier queueMoved;
    private final long submittedAt = System.nanoTime();
    private final AtomicInteger state = new AtomicInteger(NEW);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile ReleaseCodeThread thread;
    /** When a thread started the call; {@link #NOT_STARTED} until then. */
    private volatile long startedAt = NOT_STARTED;
    private long abandonedAt;
    private String abandonedHow;
    private T value;
    private Throwable failure;

    Task(String what, Body<T, ? extends Exception> body, Consumer<T> lateResult) {
      this.what = what;
      this.body = body;
      this.lateResult = lateResult;
    }

    @Override
    public void run() {
      runHere();
    }

    /** Runs the call on this thread; false when it was abandoned while it ran (this thread is lost). */
    boolean runHere() {
      thread = (ReleaseCodeThread) Thread.currentThread();
      if (!state.compareAndSet(NEW, RUNNING)) {
        thread = null;
        return true; // abandoned before it started: its caller is gone
      }
      startedAt = System.nanoTime();
      // A late interrupt meant for an abandoned call before must not end this one.
      Thread.interrupted();
      T result = null;
      Throwable thrown = null;
      try {
        result = body.run();
      } catch (Throwable t) {
        thrown = t;
      }
      value = result;
      failure = thrown;
      boolean inTime = state.compareAndSet(RUNNING, DONE);
      if (!inTime) {
        finishedLate(result, thrown);
      }
      thread = null;
      finished.countDown();
      Consumer<Task<T>> caller = whenDone;
      if (inTime && caller != null) {
        try {
          caller.accept(this);
        } catch (RuntimeException e) {
          log.error("telling the caller of {} failed: {}", what, e.toString());
        }
      }
      return inTime;
    }

    /** A queued call: {@code caller} is told when it returned in time; {@code lost} when its thread is abandoned. */
    void queued(Consumer<Task<T>> caller, Runnable lost, LongSupplier moved) {
      whenDone = caller;
      threadLost = lost;
      queueMoved = moved;
    }

    /**
     * When a call over {@code limit} should be abandoned: its limit counts from its start; one that
     * has not started is given at least the bound on waiting for a thread.
     */
    public long deadlineNanos(Duration limit) {
      return deadline(submittedAt, limit.toNanos());
    }

    /**
     * Waits for the call. On a dispatcher thread (a host's migration) a call that is not back at
     * once is a managed block: the fork-join pool may start a spare thread meanwhile, so the
     * actors on this dispatcher keep being served.
     */
    void await(long limitNanos) throws InterruptedException {
      long submitted = System.nanoTime();
      long spinUntil = submitted + Math.min(limitNanos, SPIN_NANOS);
      while (finished.getCount() != 0 && System.nanoTime() - spinUntil < 0) {
        Thread.onSpinWait();
      }
      if (finished.await(Math.min(limitNanos, PLAIN_WAIT_NANOS), TimeUnit.NANOSECONDS)
          || !(Thread.currentThread() instanceof ForkJoinWorkerThread)) {
        awaitDeadline(submitted, limitNanos);
        return;
      }
      ForkJoinPool.managedBlock(new ForkJoinPool.ManagedBlocker() {
        @Override
        public boolean block() throws InterruptedException {
          awaitDeadline(submitted, limitNanos);
          return true;
        }

        @Override
        public boolean isReleasable() {
          return finished.getCount() == 0 || System.nanoTime() - deadline(submitted, limitNanos) >= 0;
        }
      });
    }

    /** Waits until the call finished or its deadline passed; the deadline moves when the call starts. */
    private void awaitDeadline(long submitted, long limitNanos) throws InterruptedException {
      while (finished.getCount() != 0) {
        long left = deadline(submitted, limitNanos) - System.nanoTime();
        if (left <= 0) {
          return;
        }
        // Before the call starts its limit has not begun: look again after at most one limit.
        finished.await(started() ? left : Math.min(left, limitNanos), TimeUnit.NANOSECONDS);
      }
    }

    private long deadline(long submitted, long limitNanos) {
      long started = startedAt;
      if (started != NOT_STARTED) {
        return started + limitNanos;
      }
      LongSupplier moved = queueMoved;
      long waitingSince = moved == null ? submitted : Math.max(submitted, moved.getAsLong());
      return waitingSince + Math.max(limitNanos, START_BOUND_NANOS);
    }

    /** A new item of a run begins: it is what the call is now, and its limit starts again. */
    void turn(String call) {
      what = call;
      startedAt = System.nanoTime();
    }

    /** Still running (neither finished nor abandoned): a run takes no more items once abandoned. */
    boolean running() {
      return state.get() == RUNNING;
    }

    /** Finished or abandoned. */
    boolean ended() {
      return state.get() >= DONE;
    }

    public String what() {
      return what;
    }

    public boolean started() {
      return startedAt != NOT_STARTED;
    }

    public boolean done() {
      return state.get() == DONE;
    }

    /** False when the call finished meanwhile: its result stands. */
    public boolean abandon() {
      abandonedAt = System.nanoTime();
      if (state.compareAndSet(NEW, ABANDONED)) {
        abandonedHow = "it had not started";
        return true;
      }
      if (!state.compareAndSet(RUNNING, ABANDONED)) {
        return false;
      }
      int stuck = counters.threadStuck();
      ReleaseCodeThread running = thread;
      // Described before the interrupt: the thread may return at once and forget where it was.
      abandonedHow = describe(running);
      if (running != null) {
        log.warn("release code stuck: {} did not return in time; thread {} abandoned ({} stuck now) in {}, at:{}",
            what, running.getName(), stuck, running.activity(), ReleaseFrames.frames(running.getStackTrace(), STACK_FRAMES_LOGGED));
        // Lets code that sleeps or waits end; a loop that ignores it runs on, counted.
        running.interrupt();
      }
      Runnable lost = threadLost;
      if (lost != null) {
        lost.run();
      }
      return true;
    }

    public String describeAbandoned() {
      return abandonedHow;
    }

    private static String describe(ReleaseCodeThread running) {
      if (running == null) {
        return "it had just returned";
      }
      ReleaseCodeThread.Activity activity = running.activity();
      StackTraceElement top = ReleaseFrames.releaseFrame(running.getStackTrace());
      return "its thread " + running.getName() + " was abandoned" + (activity != null ? " in " + activity : "")
          + (top != null ? " at " + top.getClassName() + "." + top.getMethodName() + "(" + top.getFileName() + ":"
              + top.getLineNumber() + ")" : "") + " and counts as stuck until it returns";
    }

    private void finishedLate(T result, Throwable thrown) {
      int stuck = counters.threadUnstuck();
      log.info("release code returned after it was abandoned: {} on {} ({} ms late, {}); {} thread(s) still stuck",
          what, Thread.currentThread().getName(), (System.nanoTime() - abandonedAt) / 1_000_000,
          thrown == null ? "normally" : thrown.toString(), stuck);
      if (lateResult != null && result != null) {
        try {
          lateResult.accept(result);
        } catch (RuntimeException e) {
          log.warn("cleaning up after the late return of {} failed: {}", what, e.toString());
        }
      }
    }

    @SuppressWarnings("unchecked")
    public <E extends Exception> T result() throws E {
      Throwable thrown = failure;
      if (thrown == null) {
        return value;
      }
      if (thrown instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (thrown instanceof Error error) {
        throw error;
      }
      // Body may only throw E or unchecked exceptions.
      throw (E) thrown;
    }
  }
}
