package dev.molt.node.supervision;

import dev.molt.protocol.appup.TreeCoverage;
import dev.molt.protocol.release.ChildSpec;
import dev.molt.protocol.release.SupervisorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a live application tree is the one a release declares: the same supervisors, each with
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
    List<String> differences = new ArrayList<>();
    List<SupervisorSpec> expected = declared == null ? List.of() : declared.all();
    for (SupervisorSpec supervisor : expected) {
      SupervisorReply.Description running = live.get(supervisor.name());
      if (running == null) {
        differences.add("supervisor '" + supervisor.name() + "' is not running");
        continue;
      }
      if (!running.spec().shallow().equals(supervisor.shallow())) {
        differences.add("supervisor '" + supervisor.name() + "' runs another spec than declared, which has "
            + TreeCoverage.describe(running.spec(), supervisor));
      }
      for (ChildSpec child : supervisor.children()) {
        if (!running.running().contains(child.name())) {
          differences.add("static child '" + child.name() + "' of supervisor '" + supervisor.name() + "' is not running");
        }
      }
    }
    live.keySet().stream().sorted()
        .filter(name -> expected.stream().noneMatch(s -> s.name().equals(name)))
        .forEach(name -> differences.add("supervisor '" + name + "' runs but is not declared"));
    return differences;
  }
}
