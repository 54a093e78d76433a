package dev.molt.node.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.molt.node.host.CodeChange;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.release.ReleaseId;
import dev.molt.protocol.relup.RelupScript;
import dev.molt.protocol.relup.Step;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of a script that talk to host actors (OTP's {@code suspend}, {@code code_change},
 * {@code resume}), after the point of no return: each asks every affected host in parallel and
 * records in the journal how to take its change back. How the install thread asks thousands of
 * hosts at once, bounded ({@link Asks}), lives here too: asking hosts is what these steps are.
 */
final class HostSteps {
  private static final Logger log = LoggerFactory.getLogger(HostSteps.class);
  static final JsonNode NO_EXTRA = JsonNodeFactory.instance.objectNode();

  private final String install;
  private final Supplier<ApplicationTree> tree;
  private final Asks asks;
  private final InstallMode mode;
  private final UndoJournal journal;
  private final PauseStats pauses;
  private final ReleaseRegistry registry;
  private final Map<String, List<ApplicationTree.Host>> suspended = new LinkedHashMap<>();
  /** What each suspended host lent for its migration, by behaviour, in the order of {@link #suspended}. */
  private final Map<String, List<CodeChange.Source>> lent = new HashMap<>();
  /** Behaviours whose hosts resumed with their code change (the resume step right after it). */
  private final Set<String> resumedWithChange = new HashSet<>();
  private int actorsChanged;

  HostSteps(String install, ReleaseRegistry registry, Supplier<ApplicationTree> tree, Asks asks, InstallMode mode,
      UndoJournal journal, PauseStats pauses) {
    this.install = install;
    this.registry = registry;
    this.tree = tree;
    this.asks = asks;
    this.mode = mode;
    this.journal = journal;
    this.pauses = pauses;
  }

  /** Code changes so far, over every hop. */
  int actorsChanged() {
    return actorsChanged;
  }

  int suspend(Step.Suspend step, String name) throws InstallFailure {
    if (mode == InstallMode.PIPELINED) {
      return 0;
    }
    int count = 0;
    for (String behaviour : step.behaviours()) {
      List<ApplicationTree.Host> hosts = tree.get().hosts(behaviour);
      // Journaled before asking: a host that suspended before another failed must resume.
      suspended.put(behaviour, hosts);
      // A later hop suspends it again: only its own change may resume it.
      resumedWithChange.remove(behaviour);
      journal.record("resume " + behaviour, () -> resumeQuietly(hosts));
      List<Asks.Answer<HostReply>> answers =
          asks.within(step.timeoutMillis(behaviour)).hosts(hosts, HostCommand.SuspendForChange::new);
      expectAll(name, hosts, HostReply.Suspended.class, answers);
      lent.put(behaviour, lentSources(answers));
      count += hosts.size();
    }
    return count;
  }

  /**
   * Barrier mode: the hosts the suspend step suspended change code to the hop's target, from the
   * states they lent; with {@code resume}, each host resumes in its change's message and the resume
   * step then asks none of them. Pipelined mode: the same in blocks of {@code
   * molt.install.swaps-in-flight} hosts ({@link PipelinedChange}), each block suspended (lending its
   * states), changed and resumed, so an actor is unavailable only while its own block changes.
   */
  int changeCode(RelupScript hop, Step.ChangeCode step, boolean resume, String name) throws InstallFailure {
    ReleaseId target = hop.to();
    ReleaseId back = hop.from();
    Asks stepAsks = asks.within(step.timeoutMillis());
    long deadline = System.nanoTime() + stepAsks.timeout().toNanos();
    if (mode == InstallMode.PIPELINED) {
      List<ApplicationTree.Host> hosts = tree.get().hosts(step.behaviour());
      List<ApplicationTree.Host> touched = new ArrayList<>(hosts.size());
      // The blocks that failed may still be suspended: every touched host resumes (a running one
      // answers at once; one still in the tree that does not answer fails the revert), then every
      // touched host not on the old release swaps back.
      journal.record("swap " + step.behaviour() + " back to " + back, () -> {
        resumeAll(touched);
        swapBack(touched, back, true);
      });
      int block = Math.min(registry.settings().installSwapsInFlight(), stepAsks.maxInFlight());
      int inFlight = Math.min(registry.settings().installBlocksInFlight(), Math.max(1, stepAsks.maxInFlight() / block));
      PipelinedChange.Commands commands = sources -> CodeChange.prepare(registry, step.behaviour(), sources, target,
          step.extra(), null, stepAsks.maxInFlight(), deadline);
      changed(new PipelinedChange(install, name, hosts, block, deadline, stepAsks.timeout(), asks.system(), commands,
          this::gone).run(inFlight, touched::addAll));
      return hosts.size();
    }
    List<ApplicationTree.Host> hosts = suspended.getOrDefault(step.behaviour(), List.of());
    journal.record("change " + step.behaviour() + " back to " + back, () -> {
      // The block may have resumed since: suspend again (idempotent); the suspend step's undo resumes.
      expectAll("undo suspend " + step.behaviour(), hosts, HostReply.Done.class, asks.hosts(hosts, HostCommand.Suspend::new));
      swapBack(hosts, back, false);
    });
    // Taken (a lent state pins its release); a second change of the same suspension migrates in its hosts.
    List<CodeChange.Source> sources = Optional.ofNullable(lent.remove(step.behaviour()))
        .orElseGet(() -> Collections.nCopies(hosts.size(), null));
    changeLent(name, step, hosts, sources, target, resume, stepAsks, deadline);
    if (resume) {
      resumedWithChange.add(step.behaviour());
    }
    return hosts.size();
  }

  /**
   * Prepares the suspended hosts' migrations from what they lent ({@code sources}, in the order of
   * {@code hosts}), then has each switch to its own (and resume, with {@code resume}), all by the
   * step's deadline.
   */
  private void changeLent(String name, Step.ChangeCode step, List<ApplicationTree.Host> hosts,
      List<CodeChange.Source> sources, ReleaseId target, boolean resume, Asks stepAsks, long deadline)
      throws InstallFailure {
    List<CodeChange.Prepared> prepared = CodeChange.prepare(registry, step.behaviour(), sources, target, step.extra(),
        null, stepAsks.maxInFlight(), deadline);
    List<Integer> failedFirst = new ArrayList<>(hosts.size());
    List<Integer> others = new ArrayList<>(hosts.size());
    for (int i = 0; i < hosts.size(); i++) {
      if (prepared.get(i).outOfTime()) {
        throw new InstallFailure(name, hosts.get(i).path(), "no answer within " + stepAsks.timeout().toMillis()
            + " ms (TimeoutException): its migration had not finished when the step's time ran out");
      }
      (prepared.get(i).failed() ? failedFirst : others).add(i);
    }
    // Hosts whose migration failed are asked first: they answer the failure in their own words
    // (counted as failed migrations) and the step fails with the others still suspended on their
    // code, none changed only to be changed back. One succeeds only if it migrated itself (its state
    // was replaced since it lent it); when all do, the others go on.
    switchEach(name, failedFirst, hosts, prepared, resume, stepAsks, deadline);
    switchEach(name, others, hosts, prepared, resume, stepAsks, deadline);
  }

  /** The hosts at {@code indexes} switch to their prepared migrations (and resume, with {@code resume}). */
  private void switchEach(String name, List<Integer> indexes, List<ApplicationTree.Host> all,
      List<CodeChange.Prepared> prepared, boolean resume, Asks stepAsks, long deadline) throws InstallFailure {
    List<ApplicationTree.Host> hosts = indexes.stream().map(all::get).toList();
    // The switch gets what preparing left of the step's time: the step is bounded by its timeout.
    List<Asks.Answer<HostReply>> answers = stepAsks.until(deadline)
        .hostsEach(hosts, (i, r) -> new HostCommand.ChangeCodePrepared(prepared.get(indexes.get(i)), resume, r));
    Class<? extends HostReply> expected = resume ? HostReply.Done.class : HostReply.Changed.class;
    changed(expectAll(name, hosts, expected, answers));
  }

  /** Counts the hosts that changed, and the pauses of those that resumed with their change. */
  private void changed(List<? extends HostReply> replies) {
    for (HostReply reply : replies) {
      if (reply instanceof HostReply.Done done) {
        pauses.add(done.pausedNanos());
      }
    }
    actorsChanged += replies.size();
  }

  /** What each host lent, in order; a host that stopped meanwhile lent nothing: its slot stays empty. */
  private static List<CodeChange.Source> lentSources(List<Asks.Answer<HostReply>> answers) {
    return answers.stream().map(a -> a.reply() instanceof HostReply.Suspended s ? s.source() : null).toList();
  }

  int resume(Step.Resume step, String name) throws InstallFailure {
    if (mode == InstallMode.PIPELINED) {
      return 0;
    }
    int count = 0;
    for (String behaviour : step.behaviours()) {
      List<ApplicationTree.Host> hosts = suspended.getOrDefault(behaviour, List.of());
      if (resumedWithChange.remove(behaviour)) {
        count += hosts.size();
        continue;
      }
      List<HostReply.Done> done = expectAll(name, hosts, HostReply.Done.class, asks.hosts(hosts, HostCommand.Resume::new));
      done.forEach(d -> pauses.add(d.pausedNanos()));
      count += hosts.size();
    }
    return count;
  }

  /** Every actor not on {@code back} (started on a target while it was current) goes back too. */
  void moveStragglers(ReleaseId back) throws InstallFailure {
    List<ApplicationTree.Host> all = tree.get().hosts();
    List<Asks.Answer<HostReply>> statuses = asks.hosts(all, HostCommand.GetStatus::new);
    List<ApplicationTree.Host> running = new ArrayList<>();
    List<ApplicationTree.Host> suspendedOnes = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (statuses.get(i).reply() instanceof HostReply.Status status && !status.release().equals(back)) {
        (status.suspended() ? suspendedOnes : running).add(all.get(i));
      }
    }
    swapBack(running, back, true);
    swapBack(suspendedOnes, back, false);
  }

  /** The asks of swaps back: at most {@code molt.install.swaps-in-flight} swapping at once. */
  private Asks swaps(Asks asks) {
    return asks.atMost(registry.settings().installSwapsInFlight());
  }

  /** Puts changed hosts back on {@code back}: suspended ones by ChangeCode, running ones by Swap. */
  private void swapBack(List<ApplicationTree.Host> hosts, ReleaseId back, boolean running) throws InstallFailure {
    List<Asks.Answer<HostReply>> answers = running
        ? swaps(asks).hosts(hosts, r -> new HostCommand.Swap(back, NO_EXTRA, r))
        : asks.hosts(hosts, r -> new HostCommand.ChangeCode(back, NO_EXTRA, r));
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < answers.size(); i++) {
      Asks.Answer<HostReply> answer = answers.get(i);
      if (answer.error() != null) {
        if (!gone(hosts.get(i))) {
          failed.add(answer.target() + ": " + answer.error());
        }
      } else if (answer.reply() instanceof HostReply.Failed f) {
        if (running && f.reason() == HostReply.Reason.SUSPENDED) {
          continue; // Suspended by this install: the ChangeCode undo of the barrier path handles it.
        }
        failed.add(answer.target() + ": " + f.cause());
      }
    }
    if (!failed.isEmpty()) {
      throw new InstallFailure("revert", failed.get(0), failed.size() + " actor(s) could not go back: " + failed);
    }
  }

  private void resumeQuietly(List<ApplicationTree.Host> hosts) {
    List<Asks.Answer<HostReply>> answers = asks.hosts(hosts, HostCommand.Resume::new);
    for (int i = 0; i < answers.size(); i++) {
      if (answers.get(i).error() != null && !gone(hosts.get(i))) {
        log.error("install={} revert: {} did not resume: {}", install, answers.get(i).target(), answers.get(i).error());
      }
    }
  }

  /** Resumes {@code hosts}; one that is still in the tree and does not answer fails the revert. */
  private void resumeAll(List<ApplicationTree.Host> hosts) throws InstallFailure {
    expectAll("revert", hosts, HostReply.Done.class, asks.hosts(hosts, HostCommand.Resume::new));
  }

  /** The host left the tree (stopped, passivated, or replaced by its supervisor's restart). */
  private boolean gone(ApplicationTree.Host host) {
    return tree.get().host(host.supervisor(), host.child()).map(h -> !h.ref().equals(host.ref())).orElse(true);
  }

  /** Every reply of the expected kind, or the first failure ({@link Asks#expectAll}). */
  private <T extends HostReply> List<T> expectAll(String step, List<ApplicationTree.Host> hosts, Class<T> expected,
      List<Asks.Answer<HostReply>> answers) throws InstallFailure {
    return Asks.expectAll(install, step, hosts, expected, answers, this::gone);
  }
}
