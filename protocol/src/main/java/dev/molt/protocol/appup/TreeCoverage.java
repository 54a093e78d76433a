package dev.molt.protocol.appup;

import dev.molt.protocol.release.ChildSpec;
import dev.molt.protocol.release.ReleaseDescriptor;
import dev.molt.protocol.release.SupervisorSpec;
import dev.molt.protocol.relup.RelupCompiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Explicit instructions win over generated ones, so an explicit list that forgets a change of the
 * supervision tree would leave the live tree different from the release it runs (a static child
 * the target adds never started, while a node restart would boot it). Such a release is refused
 * when it meets its neighbour, naming each change the list does not cover: the author adds the
 * {@code update-supervisor}, {@code add-application} or {@code remove-application} (or
 * {@code restart-application}) or drops the list and lets Molt
 * generate it. Nothing is added behind the author's back: the plan is what they wrote.
 */
public final class TreeCoverage {
  private TreeCoverage() {}

  /**
   * What {@code newer}'s explicit instructions for {@code older} (up from it, down to it) leave out
   * of the tree changes between the two; empty when they cover everything or are not explicit.
   */
  public static List<String> uncovered(ReleaseDescriptor newer, ReleaseDescriptor older) {
    List<String> problems = new ArrayList<>();
    for (boolean up : new boolean[] {true, false}) {
      Optional<AppupEntry> explicit = newer.appup(older.version(), up);
      if (explicit.isEmpty() || explicit.get().instructions().contains(new Instruction.RestartApplication())) {
        continue;
      }
      ReleaseDescriptor source = up ? older : newer;
      ReleaseDescriptor target = up ? newer : older;
      List<String> missing = new ArrayList<>();
      List<String> fixes = new ArrayList<>();
      Set<String> restarted = ApplicationRestart.named(explicit.get().instructions());
      for (Instruction needed : RelupCompiler.generate(source, target)) {
        if (explicit.get().instructions().contains(needed) || needed instanceof Instruction.UpdateSupervisor u
            && ApplicationRestart.owner(target, u.supervisor()).filter(restarted::contains).isPresent()) {
          continue; // a restarted application starts its whole tree as the target declares it
        }
        if (needed instanceof Instruction.UpdateSupervisor u) {
          missing.add(describe(source.supervisor(u.supervisor()).orElseThrow(),
              target.supervisor(u.supervisor()).orElseThrow()));
          fixes.add("{\"op\": \"update-supervisor\", \"supervisor\": \"" + u.supervisor() + "\"}");
        } else if (needed instanceof Instruction.RestartApplication) {
          missing.add("the root supervisor changes (" + rootName(source) + " -> " + rootName(target) + ")");
          fixes.add("{\"op\": \"restart-application\"}");
        } else if (needed instanceof Instruction.AddApplication a) {
          missing.add("application '" + a.application() + "' added");
          fixes.add("{\"op\": \"add-application\", \"application\": \"" + a.application() + "\"}");
        } else if (needed instanceof Instruction.RemoveApplication r) {
          missing.add("application '" + r.application() + "' removed");
          fixes.add("{\"op\": \"remove-application\", \"application\": \"" + r.application() + "\"}");
        }
      }
      if (!missing.isEmpty()) {
        problems.add(newer.id() + "'s " + (up ? "upFrom " : "downTo ") + older.version() + " lists explicit instructions"
            + " but does not cover: " + String.join("; ", missing) + "; add " + String.join(", ", fixes)
            + " or drop the explicit list");
      }
    }
    return problems;
  }

  /** The changes of one supervisor's own spec, in words: "static child 'auditor' added under supervisor 'root'". */
  public static String describe(SupervisorSpec was, SupervisorSpec will) {
    List<String> changes = new ArrayList<>();
    for (ChildSpec child : will.children()) {
      Optional<ChildSpec> before = was.child(child.name());
      if (before.isEmpty()) {
        changes.add(kind(child) + " '" + child.name() + "' added");
      } else if (!before.get().equals(child) && !(child.nestsSupervisor() && before.get().nestsSupervisor()
          && Objects.equals(before.get().restart(), child.restart()))) {
        changes.add(kind(child) + " '" + child.name() + "' changed");
      }
    }
    for (ChildSpec child : was.children()) {
      if (will.child(child.name()).isEmpty()) {
        changes.add(kind(child) + " '" + child.name() + "' removed");
      }
    }
    if (was.strategy() != will.strategy()) {
      changes.add("strategy " + was.strategy().json() + " -> " + will.strategy().json());
    }
    if (!was.intensity().equals(will.intensity()) || !was.periodSeconds().equals(will.periodSeconds())) {
      changes.add("restart intensity " + was.intensity() + " in " + was.periodSeconds() + " s -> " + will.intensity()
          + " in " + will.periodSeconds() + " s");
    }
    if (!Objects.equals(was.dynamic(), will.dynamic())) {
      changes.add("dynamic children " + was.dynamic() + " -> " + will.dynamic());
    }
    return (changes.isEmpty() ? "spec changed" : String.join(", ", changes)) + " under supervisor '" + will.name() + "'";
  }

  private static String kind(ChildSpec child) {
    return child.nestsSupervisor() ? "nested supervisor" : "static child";
  }

  private static String rootName(ReleaseDescriptor release) {
    List<String> roots = release.allApplications().stream().map(a -> "'" + a.supervision().name() + "'").toList();
    return roots.isEmpty() ? "none" : String.join(", ", roots);
  }
}
