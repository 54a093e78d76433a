package dev.molt.node.dispatch;

import akka.dispatch.DispatcherPrerequisites;
import akka.dispatch.ExecutorServiceFactory;
import akka.dispatch.MonitorableThreadFactory;
import akka.dispatch.ThreadPoolExecutorConfigurator;
import com.typesafe.config.Config;
import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.concurrent.ThreadFactory;

/**
 * Akka's thread-pool executor (a FIFO queue in front of a fixed set of threads), except that a new
 * thread never keeps the code that happened to be running when the pool started it: the same
 * reason, and the same cure, as {@link PurgeSafeForkJoinExecutor}. A thread pool starts a thread on
 * the first tasks submitted to it, and again whenever one timed out ({@code allow-core-timeout}),
 * from whichever call submitted the task: often a behaviour's {@code onMessage} sending to an actor.
 *
 * <p>Configured as {@code executor} of a dispatcher; it reads the dispatcher's
 * {@code thread-pool-executor} section like Akka's own. The host dispatcher
 * ({@code molt.host-dispatcher}, see {@link HostDispatcher}) uses it.
 */
public final class PurgeSafeThreadPoolExecutor extends ThreadPoolExecutorConfigurator {

  public PurgeSafeThreadPoolExecutor(Config dispatcher, DispatcherPrerequisites prerequisites) {
    super(dispatcher.getConfig("thread-pool-executor"), prerequisites);
  }

  @Override
  public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory threadFactory) {
    // Akka adds the dispatcher's id to the threads' names only for its own factory, so before the wrap.
    ThreadFactory named = threadFactory instanceof MonitorableThreadFactory akka
        ? akka.withName(akka.name() + "-" + id) : threadFactory;
    return super.createExecutorServiceFactory(id, new Privileged(named));
  }

  private record Privileged(ThreadFactory akka) implements ThreadFactory {
    @Override
    @SuppressWarnings("removal") // the only way on JDK 17 to keep the caller's stack out of a new thread
    public Thread newThread(Runnable task) {
      return AccessController.doPrivileged((PrivilegedAction<Thread>) () -> akka.newThread(task));
    }
  }
}
