package dev.molt.node.supervision;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import dev.molt.protocol.release.ReleaseId;
import dev.molt.protocol.release.StartType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The node's applications and what became of them (OTP's {@code application:which_applications}
 * plus the start types' verdicts), written by the application controller, read by status and
 * health. An application whose start type makes its stop a failure of the node (a permanent one,
 * or a transient one that failed) stays listed as failed until a node restart or an install starts
 * it again (restart-application, or add-application): OTP stops the node then; Molt keeps the node
 * up, reports it unhealthy and names the application.
 */
public final class Applications implements Extension {

  public static final ExtensionId<Applications> ID =
      new ExtensionId<>() {
        @Override
        public Applications createExtension(ActorSystem<?> system) {
          return new Applications();
        }
      };

  /** One application: the release it started on, its start type, and why it stopped (null: it runs). */
  public record State(String name, StartType startType, ReleaseId release, String stopped, boolean failsNode) {}

  private final Map<String, State> states = new ConcurrentSkipListMap<>();

  private Applications() {}

  public static Applications get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** Every application the node started and has not removed, by name. */
  public List<State> all() {
    return List.copyOf(states.values());
  }

  /** Why the node is unhealthy because of its applications, one line each; empty when it is not. */
  public List<String> failures() {
    return states.values().stream().filter(State::failsNode)
        .map(s -> "application '" + s.name() + "' (" + s.startType().json() + ") stopped: " + s.stopped()).toList();
  }

  public void started(String name, StartType startType, ReleaseId release) {
    states.put(name, new State(name, startType, release, null, false));
  }

  /** The application stopped on its own ({@code failed}: with a failure); its start type decides what it means. */
  public State stoppedByItself(String name, String reason, boolean failed) {
    return states.computeIfPresent(name,
        (n, s) -> new State(n, s.startType(), s.release(), reason, s.startType().stopFailsNode(failed)));
  }

  /** Stopped on purpose (removed by an install, or replaced by a restart): no longer listed. */
  public void removed(String name) {
    states.remove(name);
  }
}
