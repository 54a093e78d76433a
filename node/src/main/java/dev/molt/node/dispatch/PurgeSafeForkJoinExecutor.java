package dev.molt.node.dispatch;

import akka.dispatch.DispatcherPrerequisites;
import akka.dispatch.ForkJoinExecutorConfigurator;
import com.typesafe.config.Config;
import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadFactory;

/**
 * Akka's fork-join executor, except that a worker thread never keeps the code that happened to be
 * running when the pool started it.
 *
 * <p>On JDK 17 a new {@link Thread} stores {@code AccessController.getContext()}: the protection
 * domain of every class on the creating thread's stack, and each domain references its class
 * loader. A pool starts a worker from inside whichever call submitted work to it, and that is often
 * release code: a behaviour's {@code onMessage} replies to an actor whose mailbox then needs a
 * thread. The worker then pins that release's loader for its whole life, and the release can never
 * be purged (seen as a flaky {@code PurgeTest}: the GC-root path was worker thread →
 * {@code inheritedAccessControlContext} → {@code ProtectionDomain} of the release jar → its loader).
 * Starting the worker inside {@code doPrivileged} cuts the captured stack at this class, so it holds
 * only the node's own domains, as the JDK's default fork-join thread factory does for the same
 * reason.
 *
 * <p>Configured as {@code executor} (or {@code default-executor.fallback}) of a dispatcher; it
 * reads the dispatcher's {@code fork-join-executor} section like Akka's own.
 */
public final class PurgeSafeForkJoinExecutor extends ForkJoinExecutorConfigurator {

  public PurgeSafeForkJoinExecutor(Config dispatcher, DispatcherPrerequisites prerequisites) {
    super(dispatcher.getConfig("fork-join-executor"), prerequisites);
  }

  @Override
  public ForkJoinPool.ForkJoinWorkerThreadFactory validate(ThreadFactory factory) {
    return new Privileged(super.validate(factory));
  }

  private record Privileged(ForkJoinPool.ForkJoinWorkerThreadFactory akka) implements ForkJoinPool.ForkJoinWorkerThreadFactory {
    @Override
    @SuppressWarnings("removal") // the only way on JDK 17 to keep the caller's stack out of a new thread
    public ForkJoinWorkerThread newThread(ForkJoinPool pool) {
      return AccessController.doPrivileged((PrivilegedAction<ForkJoinWorkerThread>) () -> akka.newThread(pool));
    }
  }
}
