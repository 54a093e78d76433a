package dev.molt.protocol.relup;

import dev.molt.protocol.appup.AppupEntry;
import dev.molt.protocol.appup.Instruction;
import dev.molt.protocol.release.ApplicationSpec;
import dev.molt.protocol.release.BehaviourSpec;
import dev.molt.protocol.release.ReleaseDescriptor;
import dev.molt.protocol.release.ReleaseVersion;
import dev.molt.protocol.release.SupervisorSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Compiles the way from one release to another into per-hop scripts, as OTP's {@code systools_rc}
 * compiles {@code .appup} instructions into a {@code relup}:
 *
 * <ul>
 *   <li>before the point of no return only {@code load}, {@code verify}, {@code warm} and the
 *       {@code apply} instructions written before a {@code point-of-no-return} instruction;
 *   <li>each group of behaviours that depend on each other is one block: suspend in order of
 *       dependency, change code (up: in reverse order of dependency, load then migrate; down: in
 *       order of dependency, migrate then load), resume in reverse order of dependency;
 *   <li>a supervisor update stops the children the target drops before it and starts the
 *       children the target adds after it (OTP's appup cookbook);
 *   <li>explicit instructions keep the author's order after the point of no return, as
 *       systools_rc keeps the appup's; a generated plan updates supervisors after the behaviours
 *       going up and before them going down, so a child new in the newer release never runs
 *       beside code older than it;
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
          + "': a node runs the applications of one release name; install it fresh instead");
    }
    if (from.releaseVersion().compareTo(to.releaseVersion()) == 0) {
      throw new NoUpgradePathException("already on " + to.id() + ": nothing to do");
    }
    List<ReleaseDescriptor> path = path(from, to, available);
    List<RelupScript> hops = new ArrayList<>();
    for (int i = 0; i + 1 < path.size(); i++) {
      List<String> entities = dev.molt.protocol.release.EntityChanges.refusals(path.get(i), path.get(i + 1));
      if (!entities.isEmpty()) {
        throw new NoUpgradePathException("cannot go from " + path.get(i).id() + " to " + path.get(i + 1).id() + ": "
            + String.join("; ", entities));
      }
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
   * only an add or a remove, applications on one side only an add-application or a
   * remove-application, and an application whose root supervisor changed (or a supervisor that
   * moves between applications) a restart of the applications.
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
    if (ApplicationChanges.needsRestart(source, target)) {
      out.add(new Instruction.RestartApplication());
    } else {
      ApplicationChanges.added(source, target).forEach(a -> out.add(new Instruction.AddApplication(a.name())));
      for (ApplicationSpec app : target.allApplications()) {
        Optional<ApplicationSpec> kept = source.application(app.name());
        if (kept.isEmpty()) {
          continue; // added: its whole tree starts with it
        }
        Map<String, SupervisorSpec> previous = byName(kept.get().supervision());
        for (SupervisorSpec sup : app.supervision().all()) {
          SupervisorSpec old = previous.get(sup.name());
          if (old != null && !old.shallow().equals(sup.shallow())) {
            out.add(new Instruction.UpdateSupervisor(sup.name()));
          }
        }
      }
      ApplicationChanges.removed(source, target).forEach(a -> out.add(new Instruction.RemoveApplication(a.name())));
    }
    for (BehaviourSpec b : source.behaviours()) {
      if (target.behaviour(b.name()).isEmpty()) {
        out.add(new Instruction.RemoveBehaviour(b.name()));
      }
    }
    return out;
  }

  /**
   * Translates high-level instructions into the script of one hop. Explicit instructions
   * ({@code generated} false) run in the order written, as systools_rc keeps an appup's order;
   * generated ones get the orderings of {@link #generatedOrder}.
   */
  public static RelupScript translate(ReleaseDescriptor source, ReleaseDescriptor target, List<Instruction> instructions,
      boolean generated) {
    boolean up = target.releaseVersion().compareTo(source.releaseVersion()) > 0;
    ReleaseDescriptor newer = up ? target : source;
    AppupEntry entry = new AppupEntry((up ? source : target).version(), instructions);
    List<String> problems = generated ? List.of() : entry.problems();
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(newer.id() + " " + (up ? "upFrom" : "downTo") + " '" + entry.version() + "': "
          + String.join("; ", problems));
    }
    int point = entry.pointOfNoReturn();
    List<Instruction> after = instructions.subList(point + 1, instructions.size());
    List<Instruction.Update> updates = after.stream()
        .filter(i -> i instanceof Instruction.Update).map(i -> (Instruction.Update) i).toList();

    List<Step> steps = new ArrayList<>();
    steps.add(new Step.Load(target.id()));
    // Hooks written before the point of no return: after the load (their class is in the newer
    // release), before verify and warm, which rehearse what follows the point.
    for (Instruction i : instructions.subList(0, Math.max(point, 0))) {
      steps.add(new Step.ApplyHook(((Instruction.Apply) i).hook(), newer.id()));
    }
    for (Instruction.Update u : updates) {
      int from = DependencyBlocks.version(source, u.behaviour());
      int to = DependencyBlocks.version(target, u.behaviour());
      // Any version change migrates state (a "soft" update across versions too): verify it.
      if (from != to) {
        steps.add(new Step.Verify(u.behaviour(), from, to));
      }
    }
    steps.add(new Step.Warm(target.id()));
    steps.add(new Step.PointOfNoReturn());
    steps.add(new Step.MakeCurrent(target.id()));
    DependencyBlocks blocks = new DependencyBlocks(source, target, updates, up);
    steps.addAll(generated ? generatedOrder(source, target, newer, after, blocks, up)
        : authorOrder(source, target, newer, after, blocks));
    return new RelupScript(source.id(), target.id(), up ? Direction.UP : Direction.DOWN, generated, steps);
  }

  /**
   * systools_rc's {@code translate_dep_loop}: each instruction where it is written; an update's
   * block where the first update of its dependsOn group is.
   */
  private static List<Step> authorOrder(ReleaseDescriptor source, ReleaseDescriptor target, ReleaseDescriptor newer,
      List<Instruction> after, DependencyBlocks blocks) {
    List<Step> steps = new ArrayList<>();
    for (Instruction i : after) {
      if (i instanceof Instruction.Update u) {
        steps.addAll(blocks.blockOf(u.behaviour()));
      } else if (i instanceof Instruction.UpdateSupervisor s) {
        steps.addAll(SupervisorSteps.of(source, target, s));
      } else if (i instanceof Instruction.RemoveBehaviour r) {
        steps.add(new Step.StopBehaviour(r.behaviour()));
      } else if (i instanceof Instruction.Apply a) {
        steps.add(new Step.ApplyHook(a.hook(), newer.id()));
      } else if (i instanceof Instruction.RestartApplication r) {
        if (r.all()) {
          steps.add(new Step.RestartApplication(target.id()));
        } else {
          steps.addAll(ApplicationChanges.restart(source, target, r));
        }
      } else if (i instanceof Instruction.AddApplication a) {
        steps.add(ApplicationChanges.start(source, target, a));
      } else if (i instanceof Instruction.RemoveApplication r) {
        steps.add(ApplicationChanges.stop(source, target, r));
      }
      // AddBehaviour: the code comes with the release's load; nothing runs it until a child does.
    }
    return steps;
  }

  /**
   * The orderings of a plan generated from two descriptors: the applications new in the target
   * started first, before the updates (systools_relup's {@code prepend_add_app_scripts}: new code
   * that calls into them finds them running); the behaviour blocks; going up the supervisor updates
   * after them, going down before them, so a child new in the newer release never runs beside code
   * older than it; the applications the target drops stopped after the updates
   * ({@code append_remove_app_scripts}); removed behaviours last. A restart of the applications
   * replaces them all.
   */
  private static List<Step> generatedOrder(ReleaseDescriptor source, ReleaseDescriptor target, ReleaseDescriptor newer,
      List<Instruction> after, DependencyBlocks blocks, boolean up) {
    List<Step> steps = new ArrayList<>();
    // generate() restarts every application or none: a named restart comes only from an explicit list.
    if (after.stream().anyMatch(i -> i instanceof Instruction.RestartApplication)) {
      steps.add(new Step.RestartApplication(target.id()));
    } else {
      after.stream().filter(i -> i instanceof Instruction.AddApplication)
          .forEach(i -> steps.add(ApplicationChanges.start(source, target, (Instruction.AddApplication) i)));
      List<Step> tree = new ArrayList<>();
      after.stream().filter(i -> i instanceof Instruction.UpdateSupervisor)
          .forEach(i -> tree.addAll(SupervisorSteps.of(source, target, (Instruction.UpdateSupervisor) i)));
      List<Step> behaviours = blocks.all();
      steps.addAll(up ? behaviours : tree);
      steps.addAll(up ? tree : behaviours);
      after.stream().filter(i -> i instanceof Instruction.RemoveApplication)
          .forEach(i -> steps.add(ApplicationChanges.stop(source, target, (Instruction.RemoveApplication) i)));
      after.stream().filter(i -> i instanceof Instruction.RemoveBehaviour)
          .forEach(i -> steps.add(new Step.StopBehaviour(((Instruction.RemoveBehaviour) i).behaviour())));
    }
    after.stream().filter(i -> i instanceof Instruction.Apply)
        .forEach(i -> steps.add(new Step.ApplyHook(((Instruction.Apply) i).hook(), newer.id())));
    return steps;
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
