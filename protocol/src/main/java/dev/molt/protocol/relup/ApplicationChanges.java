package dev.molt.protocol.relup;

import dev.molt.protocol.appup.Instruction;
import dev.molt.protocol.release.ApplicationSpec;
import dev.molt.protocol.release.ReleaseDescriptor;
import dev.molt.protocol.release.SupervisorSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The applications of two releases matched by name, as systools_relup matches a {@code .rel}'s
 * applications: the ones only the target runs are added, the ones only the source runs removed
 * ({@code prepend_add_app_scripts} / {@code append_remove_app_scripts}), and systools_rc's
 * {@code translate_application_instrs} turns each into the start or the stop of its tree.
 */
final class ApplicationChanges {
  private ApplicationChanges() {}

  /** Applications the target runs and the source does not, in the target's start order. */
  static List<ApplicationSpec> added(ReleaseDescriptor source, ReleaseDescriptor target) {
    return target.allApplications().stream().filter(a -> source.application(a.name()).isEmpty()).toList();
  }

  /** Applications the source runs and the target does not, in the source's order. */
  static List<ApplicationSpec> removed(ReleaseDescriptor source, ReleaseDescriptor target) {
    return source.allApplications().stream().filter(a -> target.application(a.name()).isEmpty()).toList();
  }

  /**
   * Whether the trees cannot be changed application by application and the whole release must
   * restart instead: an application kept by name has another root supervisor, or a supervisor
   * moves from one application to another (it would run twice, or not at all, between the start of
   * the one and the stop of the other).
   */
  static boolean needsRestart(ReleaseDescriptor source, ReleaseDescriptor target) {
    Map<String, String> owner = owners(source);
    for (ApplicationSpec app : target.allApplications()) {
      var before = source.application(app.name());
      if (before.isPresent() && !before.get().supervision().name().equals(app.supervision().name())) {
        return true;
      }
      for (SupervisorSpec sup : app.supervision().all()) {
        String was = owner.get(sup.name());
        if (was != null && !was.equals(app.name())) {
          return true;
        }
      }
    }
    return false;
  }

  /** OTP's {@code {apply, {application, start, [App, Type]}}}, for an application new in the target. */
  static Step.StartApplication start(ReleaseDescriptor source, ReleaseDescriptor target, Instruction.AddApplication add) {
    ApplicationSpec app = target.application(add.application()).orElseThrow(() -> new IllegalArgumentException(
        "add-application '" + add.application() + "': " + target.id() + " has no such application (OTP: no_such_application)"));
    if (source.application(add.application()).isPresent()) {
      throw new IllegalArgumentException("add-application '" + add.application() + "': " + source.id()
          + " runs it already; an application both releases run is updated, not added");
    }
    return new Step.StartApplication(app.name(), app.startType(), target.id());
  }

  /** OTP's {@code {apply, {application, stop, [App]}}}, for an application the target drops. */
  static Step.StopApplication stop(ReleaseDescriptor source, ReleaseDescriptor target, Instruction.RemoveApplication remove) {
    if (source.application(remove.application()).isEmpty()) {
      throw new IllegalArgumentException("remove-application '" + remove.application() + "': " + source.id()
          + " has no such application (OTP: no_such_application)");
    }
    if (target.application(remove.application()).isPresent()) {
      throw new IllegalArgumentException("remove-application '" + remove.application() + "': " + target.id()
          + " still runs it (OTP: removed_application_present)");
    }
    return new Step.StopApplication(remove.application());
  }

  /**
   * systools_rc's {@code translate_application_instrs} for {@code {restart_application, App}}: the
   * application's stop, then its start as the target declares it, with the target's start type
   * ({@code [{apply, {application, stop, [App]}}, ..., {apply, {application, start, [App, Type]}}]}).
   * Both releases must run it (OTP: {@code no_such_application}).
   */
  static List<Step> restart(ReleaseDescriptor source, ReleaseDescriptor target, Instruction.RestartApplication restart) {
    String name = restart.application();
    for (ReleaseDescriptor release : List.of(source, target)) {
      if (release.application(name).isEmpty()) {
        throw new IllegalArgumentException("restart-application '" + name + "': " + release.id()
            + " has no such application (OTP: no_such_application)");
      }
    }
    ApplicationSpec app = target.application(name).orElseThrow();
    return List.of(new Step.StopApplication(name), new Step.StartApplication(name, app.startType(), target.id()));
  }

  private static Map<String, String> owners(ReleaseDescriptor release) {
    Map<String, String> owner = new HashMap<>();
    for (ApplicationSpec app : release.allApplications()) {
      app.supervision().all().forEach(s -> owner.put(s.name(), app.name()));
    }
    return owner;
  }
}
