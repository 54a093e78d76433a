package dev.molt.protocol.relup;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.molt.protocol.appup.Instruction;
import dev.molt.protocol.release.BehaviourSpec;
import dev.molt.protocol.release.ReleaseDescriptor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * systools_rc's {@code translate_dep_to_low}: the update instructions of one hop, grouped into
 * blocks of behaviours linked by {@code dependsOn}. Each block is
 * {@code suspend → change-code... → resume}; a block is placed where the first instruction of its
 * group is ({@code translate_dep_loop}).
 */
final class DependencyBlocks {
  private final ReleaseDescriptor source;
  private final ReleaseDescriptor target;
  private final boolean up;
  private final Map<String, Instruction.Update> byBehaviour = new LinkedHashMap<>();
  private final Set<String> placed = new LinkedHashSet<>();

  DependencyBlocks(ReleaseDescriptor source, ReleaseDescriptor target, List<Instruction.Update> updates, boolean up) {
    this.source = source;
    this.target = target;
    this.up = up;
    for (Instruction.Update u : updates) {
      if (byBehaviour.put(u.behaviour(), u) != null) {
        throw new IllegalArgumentException("behaviour '" + u.behaviour() + "' is updated twice");
      }
    }
    for (Instruction.Update u : updates) {
      for (String dep : u.dependsOn()) {
        if (!byBehaviour.containsKey(dep)) {
          throw new IllegalArgumentException("update of '" + u.behaviour() + "' depends on '" + dep
              + "', which has no update instruction");
        }
      }
    }
  }

  /** Every block, in the order of the first instruction of each. */
  List<Step> all() {
    List<Step> steps = new ArrayList<>();
    for (String behaviour : byBehaviour.keySet()) {
      steps.addAll(blockOf(behaviour));
    }
    return steps;
  }

  /** The block of {@code behaviour}'s group, or nothing when an earlier instruction of the group placed it. */
  List<Step> blockOf(String behaviour) {
    if (placed.contains(behaviour)) {
      return List.of();
    }
    List<String> ordered = dependencyOrder(component(behaviour));
    placed.addAll(ordered);
    List<String> reversed = new ArrayList<>(ordered);
    Collections.reverse(reversed);
    Map<String, Long> timeouts = new HashMap<>();
    ordered.forEach(b -> {
      if (byBehaviour.get(b).timeoutMillis() != null) {
        timeouts.put(b, byBehaviour.get(b).timeoutMillis());
      }
    });
    List<Step> steps = new ArrayList<>();
    steps.add(new Step.Suspend(ordered, timeouts));
    for (String b : up ? reversed : ordered) {
      Instruction.Update update = byBehaviour.get(b);
      int from = version(source, b);
      int to = version(target, b);
      boolean soft = update.change() == Instruction.Change.soft;
      LoadOrder order = from == to || soft ? LoadOrder.LOAD_ONLY
          : up ? LoadOrder.LOAD_THEN_MIGRATE : LoadOrder.MIGRATE_THEN_LOAD;
      steps.add(new Step.ChangeCode(b, from, to, up ? Direction.UP : Direction.DOWN,
          soft ? JsonNodeFactory.instance.objectNode() : update.extra(), order, update.timeoutMillis()));
    }
    steps.add(new Step.Resume(reversed));
    return steps;
  }

  /** The weak component of {@code start} in the dependsOn graph, in instruction order. */
  private List<String> component(String start) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(start));
    while (!todo.isEmpty()) {
      String b = todo.removeFirst();
      if (!seen.add(b)) {
        continue;
      }
      todo.addAll(byBehaviour.get(b).dependsOn());
      byBehaviour.values().stream().filter(u -> u.dependsOn().contains(b)).map(Instruction.Update::behaviour)
          .forEach(todo::add);
    }
    return byBehaviour.keySet().stream().filter(seen::contains).toList();
  }

  /**
   * Order of dependency as systools_rc's topological sort: a behaviour comes before those it
   * depends on; ties (and cycles) keep instruction order.
   */
  private List<String> dependencyOrder(List<String> component) {
    List<String> order = new ArrayList<>();
    List<String> remaining = new ArrayList<>(component);
    while (!remaining.isEmpty()) {
      String next = remaining.stream()
          .filter(b -> remaining.stream().noneMatch(o -> !o.equals(b) && byBehaviour.get(o).dependsOn().contains(b)))
          .findFirst()
          .orElse(remaining.get(0));
      order.add(next);
      remaining.remove(next);
    }
    return order;
  }

  static int version(ReleaseDescriptor release, String behaviour) {
    return release.behaviour(behaviour).map(BehaviourSpec::version).orElseThrow(() -> new IllegalArgumentException(
        "update of behaviour '" + behaviour + "': " + release.id() + " does not provide it"));
  }
}
