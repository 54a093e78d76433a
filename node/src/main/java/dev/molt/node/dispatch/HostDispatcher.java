package dev.molt.node.dispatch;

import akka.actor.typed.DispatcherSelector;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;
import java.util.Optional;

/**
 * The dispatcher every host actor runs on ({@code molt.host.dispatcher}): tree children, dynamic
 * children and sharded entities. By default {@code molt.host-dispatcher}, a FIFO thread pool with one
 * thread per core (see {@code reference.conf} for why); {@code default} or an empty value puts hosts
 * on Akka's default dispatcher, beside everything else.
 *
 * @param id the dispatcher's configuration path; empty for Akka's default dispatcher
 */
public record HostDispatcher(Optional<String> id) {
  public static final String SETTING = "molt.host.dispatcher";
  /** The value that names Akka's default dispatcher. */
  public static final String DEFAULT = "default";

  /**
   * Reads the setting; a value that names no dispatcher section is refused here, at start, naming
   * it, rather than when the first host spawns.
   */
  public static HostDispatcher from(Config config) {
    String value = config.getString(SETTING).trim();
    if (value.isEmpty() || value.equals(DEFAULT)) {
      return new HostDispatcher(Optional.empty());
    }
    if (!isDispatcher(config, value)) {
      throw new IllegalArgumentException(SETTING + " = '" + value + "' names no configured dispatcher (no section '"
          + value + "' with a type or an executor); use molt.host-dispatcher (Molt's), " + DEFAULT
          + " (Akka's default dispatcher) or the path of a dispatcher section of your own");
    }
    return new HostDispatcher(Optional.of(value));
  }

  private static boolean isDispatcher(Config config, String path) {
    try {
      if (!config.hasPath(path) || config.getValue(path).valueType() != ConfigValueType.OBJECT) {
        return false;
      }
    } catch (ConfigException.BadPath e) {
      return false;
    }
    Config section = config.getConfig(path);
    return section.hasPath("type") || section.hasPath("executor");
  }

  /** What hosts are spawned with (a {@link akka.actor.typed.Props}), and how to look the dispatcher up. */
  public DispatcherSelector selector() {
    return id.map(DispatcherSelector::fromConfig).orElse(DispatcherSelector.defaultDispatcher());
  }

  /** For the log: the dispatcher's path, or Akka's default. */
  public String describe() {
    return id.orElse("akka.actor.default-dispatcher");
  }
}
