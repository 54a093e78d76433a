package dev.molt.node.release;

import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads of {@link ReleaseThreads}: as many as calls in flight (a call never waits behind a
 * stuck one), each kept hot for a moment after its call.
 *
 * <p>A host's migration is a hop to one of these threads and back, on the actor's pause. A parked
 * thread takes tens of microseconds to wake on this kind of machine, twice per hop; an upgrade
 * hands thousands of migrations over back to back. So a thread that finished a call spins briefly
 * for the next one before it parks, and the hottest idle thread (the one that finished last) gets
 * the next call. Idle threads end after a minute.
 */
final class ReleaseCodeWorkers {
  /** How long a thread that finished a call waits for the next one before it parks. */
  private static final long HOT_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger started = new AtomicInteger();
  private volatile boolean shutdown;

  /** Runs {@code task} on an idle thread, or on a new one when every thread is busy. */
  void execute(Runnable task) {
    Worker worker;
    while ((worker = idle.pollFirst()) != null) {
      // Taken off the deque, the worker is ours alone: it either gets the task or has ended.
      if (worker.hand(task)) {
        return;
      }
    }
    // A thread records the protection domains of its creator's stack; release code may be on it.
    Worker fresh = new Worker(task);
    AccessController.doPrivileged((PrivilegedAction<Thread>) () ->
        fresh.thread = new ReleaseCodeThread(fresh, "molt-release-code-" + started.incrementAndGet())).start();
  }

  /** Lets idle threads end now; busy ones end after their call. */
  void shutdown() {
    shutdown = true;
    Worker worker;
    while ((worker = idle.pollFirst()) != null) {
      worker.hand(null);
    }
  }

  private final class Worker implements Runnable {
    private final AtomicReference<Runnable> slot = new AtomicReference<>();
    private volatile boolean ended;
    private volatile Thread thread;

    Worker(Runnable first) {
      slot.set(first);
    }

    /** False when this worker ended meanwhile; null tells it to end. */
    boolean hand(Runnable task) {
      if (ended) {
        return false;
      }
      slot.set(task == null ? END : task);
      LockSupport.unpark(thread);
      return true;
    }

    @Override
    public void run() {
      Runnable task = slot.getAndSet(null);
      while (task != null && task != END) {
        task.run();
        // Held while idle, a finished call would pin what it ran: a release's loader, a state.
        task = null;
        if (shutdown) {
          break;
        }
        idle.addFirst(this);
        task = next();
      }
      ended = true;
    }

    /** The next task: spins while hot, then parks; null after a minute idle (off the deque by then). */
    private Runnable next() {
      long hotUntil = System.nanoTime() + HOT_NANOS;
      long idleUntil = hotUntil + IDLE_NANOS;
      while (true) {
        Runnable task = slot.getAndSet(null);
        if (task != null) {
          return task;
        }
        long now = System.nanoTime();
        if (now - hotUntil < 0) {
          Thread.onSpinWait();
        } else if (now - idleUntil < 0) {
          LockSupport.parkNanos(this, idleUntil - now);
        } else if (idle.removeFirstOccurrence(this)) {
          // Still on the deque, so nobody took it: nothing can be handed to it any more.
          ended = true;
          return null;
        } else {
          // A caller took it off the deque: its task is on the way.
          Thread.onSpinWait();
        }
      }
    }
  }

  private static final Runnable END = () -> {};
}
