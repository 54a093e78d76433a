package dev.molt.node.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import dev.molt.node.agent.AgentCommand;
import dev.molt.node.agent.AgentReply;
import dev.molt.node.health.ClusterReleaseReadiness;
import dev.molt.node.licence.LicenceNotice;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.release.ReleaseStore;
import dev.molt.node.release.StoredRelease;
import dev.molt.node.supervision.Applications;
import dev.molt.protocol.control.AgentRequest;
import dev.molt.protocol.control.ApplicationState;
import dev.molt.protocol.control.ControlMessages.ApplicationStatus;
import dev.molt.protocol.control.ControlMessages.Ack;
import dev.molt.protocol.control.ControlMessages.ApplySchemaFloor;
import dev.molt.protocol.control.ControlMessages.BundleChunk;
import dev.molt.protocol.control.ControlMessages.ChunkAck;
import dev.molt.protocol.control.ControlMessages.InstallRequest;
import dev.molt.protocol.control.ControlMessages.InstallResult;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.control.ControlMessages.PermanentRequest;
import dev.molt.protocol.control.ControlMessages.PlanRequest;
import dev.molt.protocol.control.ControlMessages.PlanResult;
import dev.molt.protocol.control.ControlMessages.SendBundle;
import dev.molt.protocol.control.ControlMessages.StatusRequest;
import dev.molt.protocol.control.ControlMessages.TransferResult;
import dev.molt.protocol.release.ReleaseId;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node's face to the cluster: registered with the Receptionist under {@link #KEY}, it answers
 * the orchestrator's control protocol by asking the local {@code NodeAgent}, and receives bundles
 * chunk by chunk, checking size and SHA-256 before unpacking.
 */
public final class ClusterAgent extends AbstractBehavior<AgentRequest> {

  public static final ServiceKey<AgentRequest> KEY = ServiceKey.create(AgentRequest.class, "molt-agent");

  public static Behavior<AgentRequest> create(ActorRef<AgentCommand> agent) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      context.setLoggerName(ClusterAgent.class);
      context.getSystem().receptionist().tell(Receptionist.register(KEY, context.getSelf()));
      ClusterRelease.get(context.getSystem()); // follows the cluster's release from the start, for readiness
      ClusterSchemaFloor.get(context.getSystem()); // applies the cluster's write schema floor from the start
      return new ClusterAgent(context, timers, agent);
    }));
  }

  // The local node agent's answers, each with the request it answers. A local ask that timed out
  // arrives as an AgentReply.Failed naming the timeout.

  private record StatusAnswered(StatusRequest request, AgentReply reply) implements AgentRequest {}

  private record Unpacked(BundleChunk chunk, Path file, String sha256, AgentReply reply) implements AgentRequest {}

  private record InstallAnswered(InstallRequest request, AgentReply reply) implements AgentRequest {}

  private record PermanentAnswered(PermanentRequest request, AgentReply reply) implements AgentRequest {}

  private record PlanAnswered(PlanRequest request, AgentReply reply) implements AgentRequest {}

  /** No chunk of this incoming transfer arrived for the idle timeout (a timer keyed by the transfer id). */
  private record TransferIdle(String transfer) implements AgentRequest {}

  private static final class Incoming {
    final ReleaseId release;
    final Path file;
    final MessageDigest sha;
    long received;
    int nextIndex;

    Incoming(ReleaseId release, Path file) throws NoSuchAlgorithmException {
      this.release = release;
      this.file = file;
      this.sha = MessageDigest.getInstance("SHA-256");
    }
  }

  private final TimerScheduler<AgentRequest> timers;
  private final ActorRef<AgentCommand> agent;
  private final ReleaseRegistry registry;
  private final String node;
  private final Duration transferIdleTimeout;
  private final Duration localTimeout;
  private final Duration installTimeout;
  private final Map<String, Incoming> incoming = new HashMap<>();

  private ClusterAgent(ActorContext<AgentRequest> context, TimerScheduler<AgentRequest> timers,
      ActorRef<AgentCommand> agent) {
    super(context);
    this.timers = timers;
    this.agent = agent;
    this.registry = ReleaseRegistry.get(context.getSystem());
    this.node = NodeName.of(context.getSystem());
    this.transferIdleTimeout = registry.settings().transferIdleTimeout();
    this.localTimeout = registry.settings().agentLocalTimeout();
    this.installTimeout = registry.settings().agentInstallTimeout();
  }

  @Override
  public Receive<AgentRequest> createReceive() {
    return newReceiveBuilder()
        .onMessage(StatusRequest.class, this::status)
        .onMessage(SendBundle.class, this::sendBundle)
        .onMessage(BundleChunk.class, this::chunk)
        .onMessage(TransferIdle.class, this::transferIdle)
        .onMessage(InstallRequest.class, this::install)
        .onMessage(PermanentRequest.class, this::permanent)
        .onMessage(PlanRequest.class, this::plan)
        .onMessage(ApplySchemaFloor.class, this::applySchemaFloor)
        .onMessage(StatusAnswered.class, this::statusAnswered)
        .onMessage(Unpacked.class, this::unpacked)
        .onMessage(InstallAnswered.class, this::installAnswered)
        .onMessage(PermanentAnswered.class, this::permanentAnswered)
        .onMessage(PlanAnswered.class, this::planAnswered)
        .build();
  }

  /** Asks the local node agent; its answer (or the timeout, as a Failed) comes back as {@code answered}. */
  private void askAgent(Duration timeout, java.util.function.Function<ActorRef<AgentReply>, AgentCommand> command,
      java.util.function.Function<AgentReply, AgentRequest> answered) {
    getContext().ask(AgentReply.class, agent, timeout, command::apply, (reply, failure) -> answered.apply(
        failure == null ? reply : AgentReply.Failed.of(AgentReply.FailedCommand.LOCAL_ASK, "the node agent did not answer: " + failure.getMessage())));
  }

  private Behavior<AgentRequest> status(StatusRequest request) {
    askAgent(localTimeout, AgentCommand.DescribeNode::new, reply -> new StatusAnswered(request, reply));
    return this;
  }

  private Behavior<AgentRequest> statusAnswered(StatusAnswered answered) {
    StatusRequest request = answered.request();
    AgentReply reply = answered.reply();
    if (reply instanceof AgentReply.NodeInfo info) {
      var counters = registry.counters();
      request.replyTo().tell(new NodeStatus(node, info.running(), info.permanent(),
          info.releases(),
          info.installing(), info.actors(), counters.rejectedMessages(), counters.stashOverflows(),
          counters.failedMigrations(), Files.isWritable(registry.store().root()) && !info.installing()
              && Applications.get(getContext().getSystem()).failures().isEmpty()
              && ClusterReleaseReadiness.runsTheClustersApplication(registry,
                  ClusterRelease.get(getContext().getSystem())),
          counters.stuckThreads(), LicenceNotice.get(getContext().getSystem()).licence().status(),
          applications(Applications.get(getContext().getSystem()))));
    } else {
      getContext().getLog().warn("cluster agent: no status from the node agent: {}", reply);
    }
    return this;
  }

  /** The node's applications as its status reports them: running, stopped (logged) or failed (the node is not ready). */
  static List<ApplicationStatus> applications(Applications applications) {
    return applications.all().stream().map(a -> new ApplicationStatus(a.name(), a.startType(),
        a.stopped() == null ? ApplicationState.RUNNING : a.failsNode() ? ApplicationState.FAILED : ApplicationState.STOPPED,
        a.stopped())).toList();
  }

  private Behavior<AgentRequest> sendBundle(SendBundle request) {
    Optional<StoredRelease> stored = registry.store().find(request.release());
    if (stored.isEmpty()) {
      request.replyTo().tell(new TransferResult(request.release(), java.util.List.of(),
          request.to().stream().map(t -> t.path().address() + ": " + node + " does not hold " + request.release()).toList()));
      return this;
    }
    StoredRelease release = stored.get();
    long size;
    try {
      size = Files.size(release.bundleFile());
    } catch (IOException e) {
      request.replyTo().tell(new TransferResult(request.release(), java.util.List.of(),
          java.util.List.of(node + ": cannot read its copy: " + e.getMessage())));
      return this;
    }
    getContext().spawnAnonymous(BundleSender.create(request.release(), release.sha256(), size, release.bundleFile(),
        request.to(), new BundleSender.Waits(transferIdleTimeout, installTimeout), request.replyTo()));
    return this;
  }

  private static final java.util.regex.Pattern TRANSFER_ID =
      java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private Behavior<AgentRequest> chunk(BundleChunk chunk) {
    if (chunk.transfer() == null || !TRANSFER_ID.matcher(chunk.transfer()).matches()) {
      chunk.replyTo().tell(new ChunkAck(String.valueOf(chunk.transfer()), node, chunk.index(), false,
          "transfer id must be a UUID"));
      return this;
    }
    try {
      Incoming in = incoming.get(chunk.transfer());
      if (in == null) {
        if (chunk.index() != 0) {
          chunk.replyTo().tell(new ChunkAck(chunk.transfer(), node, chunk.index(), false, "no transfer "
              + chunk.transfer() + " in progress (a transfer starts at chunk 0, and one idle for "
              + idleTimeout() + " expires: molt.transfer.idle-timeout)"));
          return this;
        }
        Path dir = Files.createDirectories(registry.store().root().resolve(ReleaseStore.INCOMING));
        in = new Incoming(chunk.release(), dir.resolve(chunk.release() + "-" + chunk.transfer() + ".molt"));
        incoming.put(chunk.transfer(), in);
      }
      if (chunk.index() != in.nextIndex) {
        abandon(chunk.transfer());
        chunk.replyTo().tell(new ChunkAck(chunk.transfer(), node, chunk.index(), false,
            "chunk " + chunk.index() + " arrived, expected " + in.nextIndex));
        return this;
      }
      try (OutputStream out = Files.newOutputStream(in.file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        out.write(chunk.data());
      }
      in.sha.update(chunk.data());
      in.received += chunk.data().length;
      in.nextIndex++;
      if (!chunk.last()) {
        // Re-armed at every chunk: a sender that stops (crashed, partitioned) leaves no file behind.
        timers.startSingleTimer(chunk.transfer(), new TransferIdle(chunk.transfer()), transferIdleTimeout);
        chunk.replyTo().tell(new ChunkAck(chunk.transfer(), node, chunk.index(), true, null));
        return this;
      }
      timers.cancel(chunk.transfer());
      String sha = HexFormat.of().formatHex(in.sha.digest());
      if (in.received != chunk.size() || !sha.equals(chunk.sha256())) {
        abandon(chunk.transfer());
        chunk.replyTo().tell(new ChunkAck(chunk.transfer(), node, chunk.index(), false, "received " + in.received
            + " bytes with sha256 " + sha + ", expected " + chunk.size() + " bytes with sha256 " + chunk.sha256()));
        return this;
      }
      Path file = in.file;
      incoming.remove(chunk.transfer());
      askAgent(installTimeout, r -> new AgentCommand.Unpack(file, r), reply -> new Unpacked(chunk, file, sha, reply));
    } catch (IOException | NoSuchAlgorithmException e) {
      abandon(chunk.transfer());
      chunk.replyTo().tell(new ChunkAck(chunk.transfer(), node, chunk.index(), false, "cannot store the chunk: " + e.getMessage()));
    }
    return this;
  }

  private Behavior<AgentRequest> unpacked(Unpacked unpacked) {
    BundleChunk chunk = unpacked.chunk();
    deleteQuietly(unpacked.file());
    if (unpacked.reply() instanceof AgentReply.Unpacked stored) {
      getContext().getLog().info("cluster agent: bundle {} received and stored (sha256={}, {} bytes)", stored.release(),
          unpacked.sha256(), chunk.size());
      chunk.replyTo().tell(new ChunkAck(chunk.transfer(), node, chunk.index(), true, null));
    } else {
      String why = unpacked.reply() instanceof AgentReply.UnpackRefused f ? f.reason() : String.valueOf(unpacked.reply());
      chunk.replyTo().tell(new ChunkAck(chunk.transfer(), node, chunk.index(), false, why));
    }
    return this;
  }

  private void abandon(String transfer) {
    timers.cancel(transfer);
    Incoming in = incoming.remove(transfer);
    if (in != null) {
      deleteQuietly(in.file);
    }
  }

  private Behavior<AgentRequest> transferIdle(TransferIdle idle) {
    Incoming in = incoming.remove(idle.transfer());
    if (in != null) {
      deleteQuietly(in.file);
      registry.counters().expiredTransfer();
      getContext().getLog().warn("cluster agent: transfer {} of {} expired: no chunk for {} after chunk {} ({} bytes received); "
              + "removed {} ({} transfer(s) expired since start; molt.transfer.idle-timeout)", idle.transfer(), in.release,
          idleTimeout(), in.nextIndex - 1, in.received, in.file.getFileName(),
          registry.counters().expiredTransfers());
    }
    return this;
  }

  private String idleTimeout() {
    long ms = transferIdleTimeout.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }

  private Behavior<AgentRequest> install(InstallRequest request) {
    askAgent(installTimeout, r -> new AgentCommand.Install(request.release(), request.mode(), r),
        reply -> new InstallAnswered(request, reply));
    return this;
  }

  private Behavior<AgentRequest> installAnswered(InstallAnswered answered) {
    InstallRequest request = answered.request();
    AgentReply reply = answered.reply();
    if (reply instanceof AgentReply.Installed i) {
      request.replyTo().tell(new InstallResult(node, i.to(), true, null, null, null, false, i.tookNanos() / 1_000_000,
          i.actors(), i.pauseMaxNanos() / 1000, i.pauseP99Nanos() / 1000));
    } else if (reply instanceof AgentReply.Failed f) {
      request.replyTo().tell(new InstallResult(node, request.release(), false, f.step(), f.actor(), f.reason(),
          f.reverted(), 0, 0, 0, 0));
    }
    return this;
  }

  private Behavior<AgentRequest> permanent(PermanentRequest request) {
    askAgent(localTimeout, r -> new AgentCommand.MakePermanent(request.release(), r),
        reply -> new PermanentAnswered(request, reply));
    return this;
  }

  private Behavior<AgentRequest> permanentAnswered(PermanentAnswered answered) {
    answered.request().replyTo().tell(answered.reply() instanceof AgentReply.Failed f
        ? new Ack(node, false, f.reason()) : new Ack(node, true, null));
    return this;
  }

  private Behavior<AgentRequest> applySchemaFloor(ApplySchemaFloor request) {
    ClusterSchemaFloor.get(getContext().getSystem()).confirm(request.floor(), request.replyTo());
    return this;
  }

  private Behavior<AgentRequest> plan(PlanRequest request) {
    askAgent(localTimeout, r -> new AgentCommand.Plan(request.release(), r), reply -> new PlanAnswered(request, reply));
    return this;
  }

  private Behavior<AgentRequest> planAnswered(PlanAnswered answered) {
    AgentReply reply = answered.reply();
    answered.request().replyTo().tell(reply instanceof AgentReply.Planned p ? new PlanResult(node, true, p.text(), null)
        : new PlanResult(node, false, null, reply instanceof AgentReply.Failed f ? f.reason() : String.valueOf(reply)));
    return this;
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // A leftover in incoming/ is harmless; the store ignores that folder.
    }
  }
}
