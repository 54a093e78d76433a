package dev.molt.protocol.relup;

import dev.molt.protocol.appup.Instruction;
import dev.molt.protocol.release.ChildSpec;
import dev.molt.protocol.release.ReleaseDescriptor;
import dev.molt.protocol.release.SupervisorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * OTP's appup cookbook for {@code {update, Sup, supervisor}}: children the target drops are
 * stopped before the supervisor forgets them; children it adds are started after the supervisor
 * knows them.
 */
final class SupervisorSteps {
  private SupervisorSteps() {}

  static List<Step> of(ReleaseDescriptor source, ReleaseDescriptor target, Instruction.UpdateSupervisor u) {
    SupervisorSpec was = source.supervisor(u.supervisor()).orElseThrow(() -> new IllegalArgumentException(
        "update-supervisor '" + u.supervisor() + "': " + source.id() + " has no such supervisor"));
    SupervisorSpec will = target.supervisor(u.supervisor()).orElseThrow(() -> new IllegalArgumentException(
        "update-supervisor '" + u.supervisor() + "': " + target.id() + " has no such supervisor"));
    List<Step> steps = new ArrayList<>();
    List<ChildSpec> stopped = new ArrayList<>();
    for (ChildSpec child : was.children()) {
      Optional<ChildSpec> kept = will.child(child.name());
      if (kept.isEmpty() || !sameChild(child, kept.get())) {
        stopped.add(child);
      }
    }
    // Stopped in reverse start order, as a supervisor terminates its children.
    for (int i = stopped.size() - 1; i >= 0; i--) {
      steps.add(new Step.StopChild(u.supervisor(), stopped.get(i).name()));
    }
    steps.add(new Step.UpdateSupervisor(u.supervisor(), will));
    for (ChildSpec child : will.children()) {
      Optional<ChildSpec> had = was.child(child.name());
      if (had.isEmpty() || !sameChild(had.get(), child)) {
        steps.add(new Step.StartChild(u.supervisor(), child.name()));
      }
    }
    return steps;
  }

  /** A child whose worker definition changed is replaced; a nested supervisor is updated in place. */
  private static boolean sameChild(ChildSpec a, ChildSpec b) {
    if (a.nestsSupervisor() || b.nestsSupervisor()) {
      return a.nestsSupervisor() && b.nestsSupervisor();
    }
    return a.equals(b);
  }
}
