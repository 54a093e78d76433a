package dev.molt.node.agent;


import dev.molt.node.release.LoadedRelease;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.node.supervision.Applications;
import dev.molt.node.supervision.LiveTreeCheck;
import dev.molt.node.supervision.SupervisorCommand;
import dev.molt.node.supervision.SupervisorReply;
import dev.molt.protocol.release.ReleaseDescriptor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of every install, before it is reported done and while it can still revert: the
 * live tree must be the target's ({@link LiveTreeCheck}); a difference fails the install, which
 * reverts and is never made permanent.
 */
final class FinalTreeCheck {
  static final String STEP = "check the live tree";
  private static final Logger log = LoggerFactory.getLogger(FinalTreeCheck.class);

  private FinalTreeCheck() {}

  static void verify(String install, ApplicationTree tree, Asks asks, LoadedRelease target) throws InstallFailure {
    long started = System.nanoTime();
    ReleaseDescriptor declared = target.descriptor();
    Map<String, SupervisorReply.Description> live = new HashMap<>();
    for (String name : tree.supervisorNames()) {
      var ref = tree.supervisor(name);
      if (ref.isEmpty()) {
        continue; // stopped meanwhile: then it is missing, and named below if declared
      }
      Asks.Answer<SupervisorReply> answer = asks.one(ref.get(), name, SupervisorCommand.Describe::new);
      if (answer.reply() instanceof SupervisorReply.Description description) {
        live.put(name, description);
      } else {
        throw new InstallFailure(STEP, name, "the supervisor did not describe itself: "
            + (answer.error() != null ? answer.error() : answer.reply()));
      }
    }
    List<String> differences = new java.util.ArrayList<>(LiveTreeCheck.differences(declared.allApplications(), live));
    // An application that stopped on its own during the install, and whose start type makes that a failure.
    differences.addAll(Applications.get(asks.system()).failures());
    if (!differences.isEmpty()) {
      throw new InstallFailure(STEP, null, "the live tree is not " + declared.id() + "'s: " + String.join("; ", differences)
          + "; the plan left these out");
    }
    log.info("install={} {}: {} application(s), {} supervisor(s) and their static children are {}'s, took={}ms", install,
        STEP, declared.allApplications().size(), live.size(), declared.id(), (System.nanoTime() - started) / 1_000_000);
  }
}
