package dev.molt.protocol.control;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.annotation.JsonCreator;
import dev.molt.protocol.MoltSerializable;
import dev.molt.protocol.release.ReleaseId;
import dev.molt.protocol.release.StartType;
import java.time.Instant;
import java.util.List;

/**
 * The control protocol between the orchestrator and the node agents: plain data plus reply-to
 * refs, serialized by Akka's Jackson serializer (bound to {@link MoltSerializable}).
 */
public final class ControlMessages {
  private ControlMessages() {}

  /** A node's releases and health, for plans, gates and the cluster view. */
  public record StatusRequest(ActorRef<NodeStatus> replyTo) implements AgentRequest {}

  /**
   * A release in a node's store and its status, as OTP's {@code release_handler:which_releases}: the
   * node agent's answer and, inside {@link NodeStatus}, the cluster's view. The status is on the
   * wire as its old text ({@code "permanent"}); a text this version does not know reads as
   * {@link ReleaseStatus#UNKNOWN}.
   */
  public record ReleaseEntry(ReleaseId release, ReleaseStatus status, String sha256) implements MoltSerializable {}

  /**
   * @param running the release the node's tree runs (null: none)
   * @param ready the node's release store is usable and no install is running
   * @param stuckThreads threads running release code that missed its bound, were abandoned and have
   *     not returned: above zero the node is degraded (each may burn a core). An agent of protocol
   *     version 1 or 2 does not send it: it reads as 0.
   * @param licence the node's Akka licence key (null: an agent of protocol version 2 did not say)
   * @param applications the node's applications, by name (null: an agent of status version 3 or older did not say)
   */
  public record NodeStatus(
      String node,
      ReleaseId running,
      ReleaseId permanent,
      List<ReleaseEntry> releases,
      boolean installing,
      int actors,
      long rejectedMessages,
      long stashOverflows,
      long failedMigrations,
      boolean ready,
      int stuckThreads,
      Licence licence,
      List<ApplicationStatus> applications) implements MoltSerializable {
    @JsonCreator
    public NodeStatus {
      releases = releases == null ? List.of() : List.copyOf(releases);
      applications = applications == null ? null : List.copyOf(applications);
    }

    /** A status that says nothing about applications, as an agent of status version 3 sends it. */
    public NodeStatus(String node, ReleaseId running, ReleaseId permanent, List<ReleaseEntry> releases, boolean installing,
        int actors, long rejectedMessages, long stashOverflows, long failedMigrations, boolean ready, int stuckThreads,
        Licence licence) {
      this(node, running, permanent, releases, installing, actors, rejectedMessages, stashOverflows, failedMigrations,
          ready, stuckThreads, licence, null);
    }
  }

  /**
   * One application of a node (OTP's {@code application:which_applications}, plus why it stopped).
   *
   * @param startType its start type, on the wire as the descriptor spells it ({@code permanent}, {@code transient},
   *     {@code temporary}); like {@link ApplicationState}, a new one is a new version of {@link NodeStatusMigration}
   * @param reason why it stopped (null while it runs)
   */
  public record ApplicationStatus(String name, StartType startType, ApplicationState state, String reason)
      implements MoltSerializable {}

  /**
   * Whether the node's {@code akka.license-key} is set and, when it is not, when Akka's dev-use
   * limit terminates the node's ActorSystem.
   *
   * @param stopsAt null when a key is set or Akka skips its check
   */
  public record Licence(boolean keySet, Instant stopsAt) {}

  /** To the node that holds a release: push it to these agents, one chunk at a time. */
  public record SendBundle(ReleaseId release, List<ActorRef<AgentRequest>> to, ActorRef<TransferResult> replyTo)
      implements AgentRequest {}

  /**
   * One piece of a bundle. The receiver appends it, checks size and SHA-256 at the last one, and
   * unpacks the bundle into its store.
   */
  public record BundleChunk(String transfer, ReleaseId release, String sha256, long size, int index, boolean last,
      byte[] data, ActorRef<ChunkAck> replyTo) implements AgentRequest {}

  public record ChunkAck(String transfer, String node, int index, boolean ok, String error) implements MoltSerializable {}

  /** Per target node: stored, or the reason it was not. */
  public record TransferResult(ReleaseId release, List<String> stored, List<String> failed) implements MoltSerializable {
    public TransferResult {
      stored = List.copyOf(stored);
      failed = List.copyOf(failed);
    }
  }

  /**
   * Install {@code release} on the node. {@code mode} is on the wire as its old text
   * ({@code "barrier"} / {@code "pipelined"}); an orchestrator that sent none means barrier.
   */
  public record InstallRequest(ReleaseId release, InstallMode mode, ActorRef<InstallResult> replyTo) implements AgentRequest {
    public InstallRequest {
      mode = mode == null ? InstallMode.BARRIER : mode;
    }
  }

  public record InstallResult(String node, ReleaseId release, boolean ok, String step, String actor, String reason,
      boolean reverted, long tookMillis, int actors, long pauseMaxMicros, long pauseP99Micros) implements MoltSerializable {}

  public record PermanentRequest(ReleaseId release, ActorRef<Ack> replyTo) implements AgentRequest {}

  /**
   * Control protocol 4: bring the node's write schema floor up to date with the cluster's
   * (Distributed Data, read from a majority) and answer once it applies {@code floor} to the
   * envelopes of that application: ok, or why not (the node lacks the release, the majority read
   * failed, Distributed Data holds another floor). The orchestrator sends it before installs that
   * mix versions. An agent older than protocol 4 cannot read it (Akka drops it); the ask times out
   * and the rollout fails its step naming the node (docs/orchestrator.md#control-protocol-versions).
   */
  public record ApplySchemaFloor(ReleaseId floor, ActorRef<Ack> replyTo) implements AgentRequest {}

  public record PlanRequest(ReleaseId release, ActorRef<PlanResult> replyTo) implements AgentRequest {}

  public record PlanResult(String node, boolean ok, String plan, String error) implements MoltSerializable {}

  public record Ack(String node, boolean ok, String error) implements MoltSerializable {}
}
