package dev.molt.node.dispatch;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which of the dispatchers release code reaches (its replies and sends, its host's own) would start
 * threads that pin a release's class loader: a warning at start, since embedders configure Akka themselves.
 */
public final class PurgeSafeDispatchers {
  private static final Set<String> PURGE_SAFE = Set.of(
      PurgeSafeForkJoinExecutor.class.getName(), PurgeSafeThreadPoolExecutor.class.getName());
  private static final String AKKA_DEFAULT = "akka.actor.default-dispatcher";

  private PurgeSafeDispatchers() {}

  /** Akka's default and internal dispatchers and the host dispatcher, each that does not start its threads safely, with its executor. */
  public static List<String> without(Config config) {
    List<String> dispatchers = new ArrayList<>(List.of(AKKA_DEFAULT, "akka.actor.internal-dispatcher"));
    HostDispatcher.from(config).id().ifPresent(dispatchers::add);
    List<String> unsafe = new ArrayList<>();
    for (String dispatcher : dispatchers) {
      // As Akka reads a dispatcher section: what it does not set comes from the default dispatcher's.
      Config section = config.getConfig(dispatcher).withFallback(config.getConfig(AKKA_DEFAULT));
      String executor = section.getString("executor");
      if (executor.equals("default-executor")) {
        executor = section.getString("default-executor.fallback");
      }
      if (!PURGE_SAFE.contains(executor)) {
        unsafe.add(dispatcher + " (executor " + executor + ")");
      }
    }
    return unsafe;
  }

  /** The executors that start threads safely, for the warning. */
  public static String executors() {
    return PurgeSafeForkJoinExecutor.class.getName() + " or " + PurgeSafeThreadPoolExecutor.class.getName();
  }
}
