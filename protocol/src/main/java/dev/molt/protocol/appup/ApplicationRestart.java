package dev.molt.protocol.appup;

import dev.molt.protocol.release.ApplicationSpec;
import dev.molt.protocol.release.ChildSpec;
import dev.molt.protocol.release.ReleaseDescriptor;
import dev.molt.protocol.release.SupervisorSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code restart-application} that names one application (OTP's {@code {restart_application, App}}):
 * what lives in that application, and what may not go with its restart. Its actors are stopped and
 * started again on the target, so an instruction that would change them (an update of a behaviour
 * its tree runs, an update of one of its supervisors, its add or remove) has nothing to act on and
 * is refused rather than dropped. The other applications' instructions run as written.
 */
public final class ApplicationRestart {
  private ApplicationRestart() {}

  /** The applications {@code instructions} restart by name. */
  public static Set<String> named(List<Instruction> instructions) {
    Set<String> named = new LinkedHashSet<>();
    instructions.forEach(i -> {
      if (i instanceof Instruction.RestartApplication r && !r.all()) {
        named.add(r.application());
      }
    });
    return named;
  }

  /** The behaviours the application's tree runs: its static workers' and its dynamic children's. */
  public static Set<String> behaviours(ApplicationSpec application) {
    Set<String> behaviours = new LinkedHashSet<>();
    for (SupervisorSpec sup : application.supervision().all()) {
      sup.children().stream().filter(c -> !c.nestsSupervisor()).map(ChildSpec::behaviour).forEach(behaviours::add);
      if (sup.dynamic() != null) {
        behaviours.add(sup.dynamic().behaviour());
      }
    }
    return behaviours;
  }

  /** The application of {@code release} whose tree holds {@code supervisor}, if any. */
  public static Optional<String> owner(ReleaseDescriptor release, String supervisor) {
    return release.allApplications().stream()
        .filter(a -> a.supervision().all().stream().anyMatch(s -> s.name().equals(supervisor)))
        .map(ApplicationSpec::name).findFirst();
  }

  /**
   * What is wrong with the named restarts of {@code entry} in {@code newer} (the release that
   * declares them): each names an application of {@code newer}, and nothing else in the list acts on
   * that application's actors or supervisors. Empty when valid.
   */
  public static List<String> problems(ReleaseDescriptor newer, AppupEntry entry) {
    List<String> problems = new ArrayList<>();
    List<Instruction> instructions = entry.instructions();
    for (String app : named(instructions)) {
      Optional<ApplicationSpec> spec = newer.application(app);
      if (spec.isEmpty()) {
        problems.add("restart-application names application '" + app + "', which the release does not declare "
            + "(it declares " + newer.allApplications().stream().map(ApplicationSpec::name).toList()
            + "; OTP: no_such_application)");
        continue;
      }
      Set<String> behaviours = behaviours(spec.get());
      for (int i = 0; i < instructions.size(); i++) {
        Instruction other = instructions.get(i);
        String conflict = other instanceof Instruction.Update u && behaviours.contains(u.behaviour())
            ? "behaviour '" + u.behaviour() + "' runs in application '" + app + "'"
            : other instanceof Instruction.UpdateSupervisor s && owner(newer, s.supervisor()).filter(app::equals).isPresent()
                ? "supervisor '" + s.supervisor() + "' belongs to application '" + app + "'"
                : other instanceof Instruction.AddApplication a && a.application().equals(app)
                    || other instanceof Instruction.RemoveApplication r && r.application().equals(app)
                    ? "it names the same application" : null;
        if (conflict != null) {
          problems.add("instructions[" + i + "] (" + other.describe() + ") cannot go with restart-application " + app
              + ": " + conflict + ", whose actors the restart starts again on the target");
        }
      }
    }
    return problems;
  }
}
