package dev.molt.node.supervision;

import dev.molt.protocol.appup.TreeCoverage;
import dev.molt.protocol.release.ApplicationSpec;
import dev.molt.protocol.release.ChildSpec;
import dev.molt.protocol.release.SupervisorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether the live application trees are the ones a release declares: the same supervisors, each with
 * the release's spec (strategy, intensity, static children, dynamic children), and each static
 * child running. An install ends with this comparison, while it can still revert: a plan that
 * misses a tree change must not leave a node whose live tree differs from the release it calls
 * permanent (a restart would boot another tree).
 */
public final class LiveTreeCheck {
  private LiveTreeCheck() {}

  /**
   * @param live each running supervisor's description, by name
   * @return each difference in words, empty when the tree is the declared one
   */
  public static List<String> differences(SupervisorSpec declared, Map<String, SupervisorReply.Description> live) {
    return differences(declared == null ? List.of() : List.of(new ApplicationSpec(null, null, declared)), live);
  }

  /**
   * Every application's tree against the live supervisors: each difference in words, prefixed with
   * its application's name when the release has several; a supervisor no application declares is
   * named too.
   */
  public static List<String> differences(List<ApplicationSpec> applications, Map<String, SupervisorReply.Description> live) {
    List<String> differences = new ArrayList<>();
    List<String> declared = new ArrayList<>();
    for (ApplicationSpec app : applications) {
      String prefix = applications.size() > 1 ? "application '" + app.name() + "': " : "";
      for (SupervisorSpec supervisor : app.supervision().all()) {
        declared.add(supervisor.name());
        supervisorDifferences(supervisor, live.get(supervisor.name())).forEach(d -> differences.add(prefix + d));
      }
    }
    live.keySet().stream().sorted().filter(name -> !declared.contains(name))
        .forEach(name -> differences.add("supervisor '" + name + "' runs but is not declared"));
    return differences;
  }

  private static List<String> supervisorDifferences(SupervisorSpec supervisor, SupervisorReply.Description running) {
    if (running == null) {
      return List.of("supervisor '" + supervisor.name() + "' is not running");
    }
    List<String> differences = new ArrayList<>();
    if (!running.spec().shallow().equals(supervisor.shallow())) {
      differences.add("supervisor '" + supervisor.name() + "' runs another spec than declared, which has "
          + TreeCoverage.describe(running.spec(), supervisor));
    }
    for (ChildSpec child : supervisor.children()) {
      if (!running.running().contains(child.name())) {
        differences.add("static child '" + child.name() + "' of supervisor '" + supervisor.name() + "' is not running");
      }
    }
    return differences;
  }
}
