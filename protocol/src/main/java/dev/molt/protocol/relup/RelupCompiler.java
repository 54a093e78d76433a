package dev.molt.protocol.relup;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.molt.protocol.appup.AppupEntry;
import dev.molt.protocol.appup.Instruction;
import dev.molt.protocol.release.BehaviourSpec;
import dev.molt.protocol.release.ChildSpec;
import dev.molt.protocol.release.ReleaseDescriptor;
import dev.molt.protocol.release.ReleaseVersion;
import dev.molt.protocol.release.SupervisorSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compiles the way from one release to another into per-hop scripts, as OTP's {@code systools_rc}
 * compiles {@code .appup} instructions into a {@code relup}:
 *
 * <ul>
 *   <li>before the point of no return only {@code load}, {@code verify} and {@code warm};
 *   <li>each group of behaviours that depend on each other is one block: suspend in order of
 *       dependency, change code (up: in reverse order of dependency, load then migrate; down: in
 *       order of dependency, migrate then load), resume in reverse order of dependency;
 *   <li>a supervisor update stops the children the target drops before it and starts the
 *       children the target adds after it (OTP's appup cookbook); going up, supervisors are
 *       updated after the behaviours, going down before them, so a child new in the newer release
 *       never runs beside code older than it;
 *   <li>when no instructions connect two releases directly, the path goes through the releases in
 *       between (1.0.0 → 2.0.0 → 3.0.0).
 * </ul>
 *
 * The result depends only on the descriptors: the same inputs give the same script.
 */
public final class RelupCompiler {

  private RelupCompiler() {}

  /**
   * The plan from {@code from} to {@code to}, through any of {@code available} when no direct way
   * exists.
   */
  public static Relup compile(ReleaseDescriptor from, ReleaseDescriptor to, Collection<ReleaseDescriptor> available)
      throws NoUpgradePathException {
    if (!from.name().equals(to.name())) {
      throw new NoUpgradePathException("cannot go from application '" + from.name() + "' to '" + to.name()
          + "': a node runs one application; install it fresh instead");
    }
    if (from.releaseVersion().compareTo(to.releaseVersion()) == 0) {
      throw new NoUpgradePathException("already on " + to.id() + ": nothing to do");
    }
    List<ReleaseDescriptor> path = path(from, to, available);
    List<RelupScript> hops = new ArrayList<>();
    for (int i = 0; i + 1 < path.size(); i++) {
      hops.add(hop(path.get(i), path.get(i + 1)));
    }
    return new Relup(hops);
  }

  /** The script of one direct hop, from explicit instructions where the newer release has them. */
  public static RelupScript hop(ReleaseDescriptor source, ReleaseDescriptor target) {
    boolean up = target.releaseVersion().compareTo(source.releaseVersion()) > 0;
    ReleaseDescriptor newer = up ? target : source;
    ReleaseDescriptor older = up ? source : target;
    Optional<AppupEntry> explicit = newer.appup(older.version(), up);
    List<Instruction> instructions = explicit.map(AppupEntry::instructions).orElseGet(() -> generate(source, target));
    return translate(source, target, instructions, explicit.isEmpty());
  }

  /**
   * High-level instructions from the difference of two descriptors: a behaviour whose version
   * changed gets an advanced update, one whose version did not a soft one (its actors still move to
   * the target's class loader), a supervisor whose spec changed an update, behaviours on one side
   * only an add or a remove, and a different root supervisor a restart of the application.
   */
  public static List<Instruction> generate(ReleaseDescriptor source, ReleaseDescriptor target) {
    List<Instruction> out = new ArrayList<>();
    for (BehaviourSpec b : target.behaviours()) {
      Optional<BehaviourSpec> before = source.behaviour(b.name());
      if (before.isEmpty()) {
        out.add(new Instruction.AddBehaviour(b.name()));
      } else if (before.get().version() != b.version()) {
        out.add(Instruction.Update.advanced(b.name()));
      } else {
        out.add(Instruction.Update.soft(b.name()));
      }
    }
    SupervisorSpec was = source.supervision();
    SupervisorSpec will = target.supervision();
    if ((was == null) != (will == null) || (was != null && !was.name().equals(will.name()))) {
      out.add(new Instruction.RestartApplication());
    } else if (will != null) {
      Map<String, SupervisorSpec> previous = byName(was);
      for (SupervisorSpec sup : will.all()) {
        SupervisorSpec old = previous.get(sup.name());
        if (old != null && !old.shallow().equals(sup.shallow())) {
          out.add(new Instruction.UpdateSupervisor(sup.name()));
        }
      }
    }
    for (BehaviourSpec b : source.behaviours()) {
      if (target.behaviour(b.name()).isEmpty()) {
        out.add(new Instruction.RemoveBehaviour(b.name()));
      }
    }
    return out;
  }

  /** Translates high-level instructions into the script of one hop. */
  public static RelupScript translate(ReleaseDescriptor source, ReleaseDescriptor target, List<Instruction> instructions,
      boolean generated) {
    boolean up = target.releaseVersion().compareTo(source.releaseVersion()) > 0;
    Direction direction = up ? Direction.UP : Direction.DOWN;
    List<Instruction.Update> updates = new ArrayList<>();
    List<Instruction.UpdateSupervisor> supervisors = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> hooks = new ArrayList<>();
    boolean restart = false;
    for (Instruction i : instructions) {
      if (i instanceof Instruction.Update u) {
        updates.add(u);
      } else if (i instanceof Instruction.UpdateSupervisor s) {
        supervisors.add(s);
      } else if (i instanceof Instruction.RemoveBehaviour r) {
        removed.add(r.behaviour());
      } else if (i instanceof Instruction.Apply a) {
        hooks.add(a.hook());
      } else if (i instanceof Instruction.RestartApplication) {
        restart = true;
      }
      // AddBehaviour: the code comes with the release's load; nothing runs it until a child does.
    }

    List<Step> steps = new ArrayList<>();
    steps.add(new Step.Load(target.id()));
    for (Instruction.Update u : updates) {
      int from = version(source, u.behaviour(), source);
      int to = version(target, u.behaviour(), target);
      // Any version change migrates state (a "soft" update across versions too): verify it.
      if (from != to) {
        steps.add(new Step.Verify(u.behaviour(), from, to));
      }
    }
    steps.add(new Step.Warm(target.id()));
    steps.add(new Step.PointOfNoReturn());
    steps.add(new Step.MakeCurrent(target.id()));

    if (restart) {
      steps.add(new Step.RestartApplication(target.id()));
    } else {
      List<Step> blocks = blocks(source, target, updates, up);
      List<Step> tree = supervisorSteps(source, target, supervisors);
      if (up) {
        steps.addAll(blocks);
        steps.addAll(tree);
      } else {
        steps.addAll(tree);
        steps.addAll(blocks);
      }
      removed.forEach(b -> steps.add(new Step.StopBehaviour(b)));
    }
    hooks.forEach(h -> steps.add(new Step.ApplyHook(h, target.id())));
    return new RelupScript(source.id(), target.id(), direction, generated, steps);
  }

  /**
   * systools_rc's {@code translate_dep_to_low}: behaviours linked by {@code dependsOn} form one
   * block; blocks follow the order of their first instruction.
   */
  private static List<Step> blocks(ReleaseDescriptor source, ReleaseDescriptor target, List<Instruction.Update> updates,
      boolean up) {
    Map<String, Instruction.Update> byBehaviour = new LinkedHashMap<>();
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
    List<Step> steps = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>();
    for (Instruction.Update u : updates) {
      if (done.contains(u.behaviour())) {
        continue;
      }
      List<String> component = component(u.behaviour(), byBehaviour);
      List<String> ordered = dependencyOrder(component, byBehaviour);
      done.addAll(ordered);
      List<String> reversed = new ArrayList<>(ordered);
      java.util.Collections.reverse(reversed);
      steps.add(new Step.Suspend(ordered));
      for (String b : up ? reversed : ordered) {
        Instruction.Update update = byBehaviour.get(b);
        int from = version(source, b, source);
        int to = version(target, b, target);
        LoadOrder order = from == to || update.change() == Instruction.Change.soft ? LoadOrder.LOAD_ONLY
            : up ? LoadOrder.LOAD_THEN_MIGRATE : LoadOrder.MIGRATE_THEN_LOAD;
        steps.add(new Step.ChangeCode(b, from, to, up ? Direction.UP : Direction.DOWN,
            update.change() == Instruction.Change.soft ? JsonNodeFactory.instance.objectNode() : update.extra(), order));
      }
      steps.add(new Step.Resume(reversed));
    }
    return steps;
  }

  /** The weak component of {@code start} in the dependsOn graph, in instruction order. */
  private static List<String> component(String start, Map<String, Instruction.Update> updates) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(start));
    while (!todo.isEmpty()) {
      String b = todo.removeFirst();
      if (!seen.add(b)) {
        continue;
      }
      todo.addAll(updates.get(b).dependsOn());
      updates.values().stream().filter(u -> u.dependsOn().contains(b)).map(Instruction.Update::behaviour).forEach(todo::add);
    }
    return updates.keySet().stream().filter(seen::contains).toList();
  }

  /**
   * Order of dependency as systools_rc's topological sort: a behaviour comes before those it
   * depends on; ties (and cycles) keep instruction order.
   */
  private static List<String> dependencyOrder(List<String> component, Map<String, Instruction.Update> updates) {
    List<String> order = new ArrayList<>();
    Set<String> placed = new LinkedHashSet<>();
    List<String> remaining = new ArrayList<>(component);
    while (!remaining.isEmpty()) {
      String next = remaining.stream()
          .filter(b -> remaining.stream().noneMatch(o -> !o.equals(b) && updates.get(o).dependsOn().contains(b)))
          .findFirst()
          .orElse(remaining.get(0));
      order.add(next);
      placed.add(next);
      remaining.remove(next);
    }
    return order;
  }

  /**
   * OTP's appup cookbook: children the target drops are stopped before the supervisor forgets
   * them; children it adds are started after the supervisor knows them.
   */
  private static List<Step> supervisorSteps(ReleaseDescriptor source, ReleaseDescriptor target,
      List<Instruction.UpdateSupervisor> updates) {
    List<Step> steps = new ArrayList<>();
    for (Instruction.UpdateSupervisor u : updates) {
      SupervisorSpec was = source.supervisor(u.supervisor()).orElseThrow(() -> new IllegalArgumentException(
          "update-supervisor '" + u.supervisor() + "': " + source.id() + " has no such supervisor"));
      SupervisorSpec will = target.supervisor(u.supervisor()).orElseThrow(() -> new IllegalArgumentException(
          "update-supervisor '" + u.supervisor() + "': " + target.id() + " has no such supervisor"));
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

  private static int version(ReleaseDescriptor release, String behaviour, ReleaseDescriptor where) {
    return release.behaviour(behaviour).map(BehaviourSpec::version).orElseThrow(() -> new IllegalArgumentException(
        "update of behaviour '" + behaviour + "': " + where.id() + " does not provide it"));
  }

  private static Map<String, SupervisorSpec> byName(SupervisorSpec root) {
    Map<String, SupervisorSpec> all = new HashMap<>();
    root.all().forEach(s -> all.put(s.name(), s));
    return all;
  }

  // ---- path ----

  private static List<ReleaseDescriptor> path(ReleaseDescriptor from, ReleaseDescriptor to,
      Collection<ReleaseDescriptor> available) throws NoUpgradePathException {
    boolean up = to.releaseVersion().compareTo(from.releaseVersion()) > 0;
    ReleaseVersion low = up ? from.releaseVersion() : to.releaseVersion();
    ReleaseVersion high = up ? to.releaseVersion() : from.releaseVersion();
    TreeMap<ReleaseVersion, ReleaseDescriptor> candidates = new TreeMap<>();
    for (ReleaseDescriptor d : available) {
      ReleaseVersion v = d.releaseVersion();
      if (d.name().equals(from.name()) && v.compareTo(low) >= 0 && v.compareTo(high) <= 0) {
        candidates.putIfAbsent(v, d);
      }
    }
    candidates.put(from.releaseVersion(), from);
    candidates.put(to.releaseVersion(), to);

    Map<ReleaseVersion, ReleaseVersion> cameFrom = new HashMap<>();
    Deque<ReleaseVersion> queue = new ArrayDeque<>(List.of(from.releaseVersion()));
    while (!queue.isEmpty() && !cameFrom.containsKey(to.releaseVersion())) {
      ReleaseVersion at = queue.removeFirst();
      // Farthest first: the fewest hops win, and among them the longest jumps.
      var ahead = up ? candidates.tailMap(at, false).descendingMap() : candidates.headMap(at, false);
      for (ReleaseDescriptor next : ahead.values()) {
        ReleaseVersion v = next.releaseVersion();
        if (cameFrom.containsKey(v) || v.equals(from.releaseVersion())) {
          continue;
        }
        ReleaseDescriptor here = candidates.get(at);
        ReleaseDescriptor newer = up ? next : here;
        ReleaseDescriptor older = up ? here : next;
        if (whyNotDirect(older, newer, up) == null) {
          cameFrom.put(v, at);
          queue.addLast(v);
        }
      }
    }
    if (!cameFrom.containsKey(to.releaseVersion())) {
      ReleaseDescriptor newer = up ? to : from;
      ReleaseDescriptor older = up ? from : to;
      throw new NoUpgradePathException("no " + (up ? "upgrade" : "downgrade") + " path from " + from.id() + " to "
          + to.id() + " with the releases " + candidates.keySet().stream().map(ReleaseVersion::toString).toList()
          + ": " + whyNotDirect(older, newer, up));
    }
    List<ReleaseDescriptor> path = new ArrayList<>();
    for (ReleaseVersion v = to.releaseVersion(); v != null; v = cameFrom.get(v)) {
      path.add(0, candidates.get(v));
    }
    return path;
  }

  /** Null when {@code newer} can go to and from {@code older} in one hop, else the reason. */
  static String whyNotDirect(ReleaseDescriptor older, ReleaseDescriptor newer, boolean up) {
    if (newer.appup(older.version(), up).isPresent()) {
      return null;
    }
    List<String> reasons = new ArrayList<>();
    for (BehaviourSpec b : newer.behaviours()) {
      Optional<BehaviourSpec> old = older.behaviour(b.name());
      if (old.isPresent() && old.get().version() != b.version() && !b.migratesFrom().contains(old.get().version())) {
        reasons.add("behaviour '" + b.name() + "' v" + b.version() + " of " + newer.id() + " migrates from "
            + b.migratesFrom() + " only, not v" + old.get().version());
      }
    }
    if (reasons.isEmpty()) {
      return null;
    }
    return newer.id() + " has no " + (up ? "upFrom" : "downTo") + " entry for " + older.version() + " and "
        + String.join("; ", reasons);
  }

}
