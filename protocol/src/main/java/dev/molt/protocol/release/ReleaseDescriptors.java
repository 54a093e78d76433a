package dev.molt.protocol.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import dev.molt.protocol.appup.AppupEntry;
import dev.molt.protocol.appup.ApplicationRestart;
import dev.molt.protocol.appup.Instruction;

/** Reads, validates and writes release descriptors. */
public final class ReleaseDescriptors {

  public static final String NAME_PATTERN = "[a-z0-9][a-z0-9._-]{0,63}";
  private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
  /**
   * A release name may not end in a version: {@code app-1.2.3} at {@code 4.5.6} prints as
   * {@code app-1.2.3-4.5.6}, which also reads as {@code app} at {@code 1.2.3-4.5.6}.
   */
  private static final Pattern VERSION_SUFFIX = Pattern.compile(".*-(\\d+(?:\\.\\d+)+)");
  private static final Pattern JAVA_CLASS =
      Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");

  // Strict on purpose: a typo in a descriptor field must not pass silently.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private ReleaseDescriptors() {}

  public static ReleaseDescriptor parse(byte[] json) throws InvalidDescriptorException {
    ReleaseDescriptor d;
    try {
      d = MAPPER.readValue(json, ReleaseDescriptor.class);
    } catch (JsonProcessingException e) {
      throw new InvalidDescriptorException(List.of("malformed JSON: " + e.getOriginalMessage() + at(e)));
    } catch (IOException e) {
      throw new InvalidDescriptorException(List.of("unreadable: " + e.getMessage()));
    }
    if (d == null) {
      throw new InvalidDescriptorException(List.of("empty document"));
    }
    List<String> problems = problems(d);
    if (!problems.isEmpty()) {
      throw new InvalidDescriptorException(problems);
    }
    return d;
  }

  /** Where in the document a mapping problem is ({@code " at applications[1].startType"}), so it names the field. */
  private static String at(JsonProcessingException e) {
    if (!(e instanceof com.fasterxml.jackson.databind.JsonMappingException m) || m.getPath().isEmpty()) {
      return "";
    }
    StringBuilder path = new StringBuilder();
    for (var ref : m.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return " at " + path;
  }

  public static boolean isValidName(String name) {
    return releaseNameProblem(name) == null;
  }

  /** Why {@code name} cannot name a release, or null when it can. */
  public static String releaseNameProblem(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      return "name '" + name + "' must match " + NAME_PATTERN;
    }
    java.util.regex.Matcher suffix = VERSION_SUFFIX.matcher(name);
    if (suffix.matches()) {
      return "name '" + name + "' must not end in a version ('-" + suffix.group(1) + "'): the release id '" + name
          + "-<version>' would also read as another name and version; keep the version in the version field";
    }
    return null;
  }

  public static byte[] write(ReleaseDescriptor descriptor) {
    try {
      return MAPPER.writeValueAsBytes(descriptor);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write descriptor " + descriptor.id(), e);
    }
  }

  /** Every problem of a descriptor, empty when it is valid. */
  public static List<String> problems(ReleaseDescriptor d) {
    List<String> problems = new ArrayList<>();
    String nameProblem = releaseNameProblem(d.name());
    if (nameProblem != null) {
      problems.add(nameProblem);
    }
    if (!ReleaseVersion.isValid(d.version())) {
      problems.add("version '" + d.version() + "' must be MAJOR.MINOR.PATCH[-qualifier]");
    }
    if (d.behaviours().isEmpty()) {
      problems.add("behaviours must list at least one behaviour");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < d.behaviours().size(); i++) {
      BehaviourSpec b = d.behaviours().get(i);
      String at = "behaviours[" + i + "]";
      if (b == null) {
        problems.add(at + " is null");
        continue;
      }
      nameProblems(at, b.name(), seen, problems);
      if (b.version() < 1) {
        problems.add(at + ".version must be >= 1, was " + b.version());
      }
      if (b.entryClass() == null || !JAVA_CLASS.matcher(b.entryClass()).matches()) {
        problems.add(at + ".entryClass '" + b.entryClass() + "' is not a Java class name");
      }
    }
    applicationProblems(d, problems);
    treeProblems(d, problems);
    Set<String> hooks = new HashSet<>();
    for (HookSpec hook : d.hooks()) {
      if (hook.name() == null || !hooks.add(hook.name())) {
        problems.add("hook '" + hook.name() + "' is unnamed or listed twice");
      }
      if (hook.entryClass() == null || !JAVA_CLASS.matcher(hook.entryClass()).matches()) {
        problems.add("hook '" + hook.name() + "' entryClass '" + hook.entryClass() + "' is not a Java class name");
      }
    }
    lossyProblems(d, problems);
    EntitySpec.problems(d, problems);
    appupProblems(d, "upFrom", d.upFrom(), hooks, problems);
    appupProblems(d, "downTo", d.downTo(), hooks, problems);
    return problems;
  }

  /** {@code at}'s name must be a valid name, listed once among {@code seen}. */
  private static void nameProblems(String at, String name, Set<String> seen, List<String> problems) {
    if (name == null || !NAME.matcher(name).matches()) {
      problems.add(at + ".name '" + name + "' must match " + NAME.pattern());
    } else if (!seen.add(name)) {
      problems.add(at + ".name '" + name + "' is listed twice");
    }
  }

  /** The applications list: named, each once, each with a tree; and not beside the single-tree form. */
  private static void applicationProblems(ReleaseDescriptor d, List<String> problems) {
    if (d.supervision() != null && !d.applications().isEmpty()) {
      problems.add("supervision and applications are both given; a release declares either one tree (supervision) "
          + "or a list of applications, each with its own supervision");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < d.applications().size(); i++) {
      ApplicationSpec app = d.applications().get(i);
      String at = "applications[" + i + "]";
      if (app == null) {
        problems.add(at + " is null");
        continue;
      }
      nameProblems(at, app.name(), seen, problems);
      if (app.supervision() == null) {
        problems.add(at + ".supervision is required: the application's supervision tree");
      }
    }
  }

  private static void treeProblems(ReleaseDescriptor d, List<String> problems) {
    // Unique across applications: messages, installs and the live-tree check address a supervisor by name.
    Map<String, String> supervisors = new HashMap<>();
    for (ApplicationSpec app : d.allApplications()) {
      if (app != null && app.supervision() != null) {
        for (SupervisorSpec sup : app.supervision().all()) {
          supervisorProblems(d, app.name(), sup, supervisors, problems);
        }
      }
    }
  }

  private static void supervisorProblems(ReleaseDescriptor d, String application, SupervisorSpec sup,
      Map<String, String> supervisors, List<String> problems) {
    String at = "supervisor '" + sup.name() + "'";
    String before = sup.name() == null ? null : supervisors.putIfAbsent(sup.name(), application);
    if (sup.name() == null || !NAME.matcher(sup.name()).matches()) {
      problems.add("supervisor name '" + sup.name() + "' must match " + NAME.pattern());
    } else if (before != null && before.equals(application)) {
      problems.add(at + " is declared twice");
    } else if (before != null) {
      problems.add(at + " is declared in applications '" + before + "' and '" + application
          + "'; supervisor names are unique across a release's applications");
    }
    if (sup.intensity() < 0 || sup.periodSeconds() < 1) {
      problems.add(at + " needs intensity >= 0 and periodSeconds >= 1");
    }
    Set<String> children = new HashSet<>();
    for (ChildSpec child : sup.children()) {
      if (child.name() == null || !NAME.matcher(child.name()).matches()) {
        problems.add(at + " has a child named '" + child.name() + "', which must match " + NAME.pattern());
      } else if (!children.add(child.name())) {
        problems.add(at + " has two children named '" + child.name() + "'");
      }
      if ((child.behaviour() == null) == (child.supervisor() == null)) {
        problems.add(at + " child '" + child.name() + "' must name exactly one of behaviour or supervisor");
      } else if (child.behaviour() != null && d.behaviour(child.behaviour()).isEmpty()) {
        problems.add(at + " child '" + child.name() + "' runs behaviour '" + child.behaviour() + "', which the release does not provide");
      } else if (child.supervisor() != null && !String.valueOf(child.supervisor().name()).equals(child.name())) {
        problems.add(at + " child '" + child.name() + "' must have the name of its supervisor '" + child.supervisor().name() + "'");
      }
    }
    if (sup.dynamic() != null && d.behaviour(sup.dynamic().behaviour()).isEmpty()) {
      problems.add(at + " starts dynamic children of behaviour '" + sup.dynamic().behaviour()
          + "', which the release does not provide");
    }
  }

  /** A lossy declaration names behaviours of this release, each once (a typo must not waive the check). */
  private static void lossyProblems(ReleaseDescriptor d, List<String> problems) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < d.lossy().size(); i++) {
      String name = d.lossy().get(i);
      if (name == null || d.behaviour(name).isEmpty()) {
        problems.add("lossy[" + i + "] '" + name + "' is not a behaviour of the release; lossy lists behaviours whose "
            + "migrations may lose data on purpose");
      } else if (!seen.add(name)) {
        problems.add("lossy[" + i + "] '" + name + "' is listed twice");
      }
    }
  }

  private static void appupProblems(ReleaseDescriptor d, String field, List<AppupEntry> entries, Set<String> hooks,
      List<String> problems) {
    Set<String> versions = new HashSet<>();
    for (AppupEntry entry : entries) {
      String at = field + " '" + entry.version() + "'";
      if (!ReleaseVersion.isValid(entry.version())) {
        problems.add(at + ": version must be MAJOR.MINOR.PATCH[-qualifier]");
      } else if (!versions.add(entry.version())) {
        problems.add(at + " is listed twice");
      }
      entry.problems().forEach(p -> problems.add(at + ": " + p));
      ApplicationRestart.problems(d, entry).forEach(p -> problems.add(at + ": " + p));
      for (Instruction i : entry.instructions()) {
        if (i == null) {
          continue; // named by entry.problems()
        } else if (i instanceof Instruction.Update u && field.equals("upFrom") && d.behaviour(u.behaviour()).isEmpty()) {
          problems.add(at + ": update names behaviour '" + u.behaviour() + "', which the release does not provide");
        } else if (i instanceof Instruction.RemoveBehaviour r && field.equals("upFrom") && d.behaviour(r.behaviour()).isPresent()) {
          problems.add(at + ": remove-behaviour names '" + r.behaviour() + "', which the release still provides");
        } else if (i instanceof Instruction.Apply apply && !hooks.contains(apply.hook())) {
          problems.add(at + ": apply names hook '" + apply.hook() + "', which the release does not declare");
        } else if (i instanceof Instruction.UpdateSupervisor u && d.supervisor(u.supervisor()).isEmpty()
            && field.equals("upFrom")) {
          problems.add(at + ": update-supervisor names '" + u.supervisor() + "', which the release does not declare");
        } else if (i instanceof Instruction.AddApplication a && field.equals("upFrom") && d.application(a.application()).isEmpty()) {
          problems.add(at + ": add-application names '" + a.application() + "', which the release does not declare "
              + "(OTP: no_such_application)");
        } else if (i instanceof Instruction.RemoveApplication r && (field.equals("upFrom")
            == d.application(r.application()).isPresent())) {
          problems.add(at + ": remove-application names '" + r.application() + "', " + (field.equals("upFrom")
              ? "which the release still runs (OTP: removed_application_present)"
              : "which the release does not declare (OTP: no_such_application)"));
        }
      }
    }
  }
}
