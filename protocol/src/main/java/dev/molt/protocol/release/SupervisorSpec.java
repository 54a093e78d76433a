package dev.molt.protocol.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A supervisor, declared as data (OTP's {@code init/1} result, without the side effects that make
 * upgrades fragile): its strategy, its restart intensity (at most {@code intensity} restarts in
 * {@code periodSeconds}, else it gives up and fails itself), its static children in start order,
 * and optionally dynamic children of one behaviour.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SupervisorSpec(
    String name, Strategy strategy, Integer intensity, Integer periodSeconds, List<ChildSpec> children,
    DynamicChildren dynamic) {

  public SupervisorSpec {
    strategy = strategy == null ? Strategy.ONE_FOR_ONE : strategy;
    intensity = intensity == null ? 3 : intensity;
    periodSeconds = periodSeconds == null ? 5 : periodSeconds;
    children = children == null ? List.of() : List.copyOf(children);
  }

  public Optional<ChildSpec> child(String childName) {
    return children.stream().filter(c -> c.name().equals(childName)).findFirst();
  }

  /** This spec without its nested supervisors' contents: what an update of this supervisor changes. */
  public SupervisorSpec shallow() {
    List<ChildSpec> flat = children.stream()
        .map(c -> c.nestsSupervisor() ? new ChildSpec(c.name(), null, null, c.restart(), null) : c)
        .toList();
    return new SupervisorSpec(name, strategy, intensity, periodSeconds, flat, dynamic);
  }

  /** This supervisor and every nested one, parents first. */
  public List<SupervisorSpec> all() {
    List<SupervisorSpec> all = new ArrayList<>();
    visit(all::add);
    return all;
  }

  private void visit(Consumer<SupervisorSpec> visitor) {
    visitor.accept(this);
    for (ChildSpec child : children) {
      if (child.nestsSupervisor()) {
        child.supervisor().visit(visitor);
      }
    }
  }
}
