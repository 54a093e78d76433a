package dev.molt.orchestrator.http;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import akka.stream.javadsl.FileIO;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.agent.AgentCommand;
import dev.molt.node.agent.AgentReply;
import dev.molt.node.cluster.LocalNode;
import dev.molt.node.cluster.NodeName;
import dev.molt.orchestrator.auth.Operation;
import dev.molt.orchestrator.rollout.OrchestratorProtocol;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /molt/releases}: an upload is streamed to a file under the store's {@code uploads/}, never
 * held in memory, with its own size bound ({@code molt.http.max-upload-bytes}, the only route
 * allowed past the server's small max-content-length); then unpacked and distributed.
 */
final class ReleaseRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(ReleaseRoutes.class);

  private final ActorSystem<?> system;
  private final MoltRoutes.Singleton orchestrator;
  private final ObjectMapper json;
  private final Problems problems;
  private final HttpLimits limits;
  private final Access access;
  private final Refusals refusals;
  /** molt.http.unpack-timeout: unpacking verifies, loads and warms the release on this node. */
  private final Duration unpackTimeout;
  /** molt.http.distribute-timeout: distribution streams a bundle to every node. */
  private final Duration distributeTimeout;

  ReleaseRoutes(ActorSystem<?> system, MoltRoutes.Singleton orchestrator, ObjectMapper json, Problems problems, HttpLimits limits,
      Access access, Refusals refusals) {
    this.refusals = refusals;
    this.unpackTimeout = system.settings().config().getDuration("molt.http.unpack-timeout");
    this.distributeTimeout = system.settings().config().getDuration("molt.http.distribute-timeout");
    this.system = system;
    this.orchestrator = orchestrator;
    this.json = json;
    this.problems = problems;
    this.limits = limits;
    this.access = access;
  }

  Route routes() {
    return path("releases", () -> concat(
        post(() -> access.as(Operation.UPLOAD, "releases", this::upload)),
        get(this::releases)));
  }

  private Route upload(Granted granted) {
    long max = limits.maxUploadBytes();
    return extractRequestEntity(entity -> extractMaterializer(mat -> {
      OptionalLong declared = entity.getContentLengthOption();
      if (declared.isPresent() && declared.getAsLong() > max) {
        refusals.count("molt.http.max-upload-bytes", "POST /molt/releases", "Content-Length " + declared.getAsLong() + " over " + max);
        return declared.getAsLong() - max > limits.uploadDrainBytes() ? complete(tooLarge())
            : completeWithFuture(entity.withSizeLimit(declared.getAsLong()).discardBytes(mat).completionStage()
                .handle((done, failed) -> tooLarge()));
      }
      return optionalHeaderValueByName("Content-Disposition", disposition -> {
        Path file;
        try {
          Path dir = Files.createDirectories(Path.of(system.settings().config().getString("molt.release-store.dir"), "uploads"));
          file = UploadFiles.create(dir, disposition);
        } catch (Exception e) {
          log.error("cannot create an upload file: {}", e.toString());
          return complete(problems.of(StatusCodes.INTERNAL_SERVER_ERROR, "cannot store the upload", "see the node's log"));
        }
        // Past the limit the rest is read and dropped (up to upload-drain-bytes), not written: the
        // 413 then goes out on a connection the client can still read (see reference.conf).
        AtomicLong received = new AtomicLong();
        return completeWithFuture(entity.withSizeLimit(max + limits.uploadDrainBytes()).getDataBytes()
            .filter(bytes -> received.addAndGet(bytes.size()) <= max)
            .runWith(FileIO.toPath(file), mat)
            .thenCompose(written -> received.get() > max ? overLimit(file) : stored(file, written.getCount(), granted))
            .exceptionally(t -> {
              deleteQuietly(file);
              return uploadFailure(t);
            }));
      });
    }));
  }

  private CompletionStage<HttpResponse> overLimit(Path file) {
    deleteQuietly(file);
    refusals.count("molt.http.max-upload-bytes", "POST /molt/releases", "the streamed body passed " + limits.maxUploadBytes());
    return CompletableFuture.completedFuture(tooLarge());
  }

  private CompletionStage<HttpResponse> stored(Path file, long size, Granted granted) {
    if (size == 0) {
      deleteQuietly(file);
      return CompletableFuture.completedFuture(problems.of(StatusCodes.BAD_REQUEST, "invalid bundle", "the body is empty"));
    }
    return LocalNode.get(system).refs().thenCompose(refs -> AskPattern.<AgentCommand, AgentReply>ask(refs.agent(),
            r -> new AgentCommand.Unpack(file, r), unpackTimeout, system.scheduler()))
        .thenCompose(reply -> {
          deleteQuietly(file);
          if (reply instanceof AgentReply.Unpacked unpacked) {
            granted.target(unpacked.release().toString());
            return orchestrator.ask(r -> new OrchestratorProtocol.Distribute(unpacked.release(), NodeName.of(system),
                    granted.caller(), r), distributeTimeout)
                .thenApply(distributed -> uploaded(unpacked, distributed));
          }
          AgentReply.UnpackRefused refused = (AgentReply.UnpackRefused) reply;
          return CompletableFuture.completedFuture(switch (refused.failure()) {
            case CONFLICT -> problems.of(StatusCodes.CONFLICT, "release exists with other content", refused.reason());
            // A node that failed while storing answers as it always did: the reason names its fault.
            case INVALID, NOT_STORED -> problems.of(StatusCodes.BAD_REQUEST, "invalid bundle", refused.reason());
          });
        });
  }

  private HttpResponse uploaded(AgentReply.Unpacked unpacked, OrchestratorProtocol.Reply distributed) {
    ObjectNode body = json.createObjectNode()
        .put("name", unpacked.release().name())
        .put("version", unpacked.release().version())
        .put("sha256", unpacked.sha256());
    if (distributed instanceof OrchestratorProtocol.Distributed d) {
      body.set("storedOn", json.valueToTree(d.stored()));
      body.set("failedOn", json.valueToTree(d.failed()));
    } else if (distributed instanceof OrchestratorProtocol.Problem p) {
      body.put("distribution", p.detail());
    }
    log.info("release {} uploaded (sha256={}) and distributed: {}", unpacked.release(), unpacked.sha256(), body.path("storedOn"));
    return problems.response(StatusCodes.CREATED, body);
  }

  private HttpResponse uploadFailure(Throwable t) {
    // FileIO wraps the stream's failure (IOOperationIncompleteException): an over-limit chunked
    // upload is found in the cause chain, not at its top (it answered 503 before).
    if (Problems.tooLarge(t)) {
      refusals.count("molt.http.max-upload-bytes", "POST /molt/releases", "the streamed body passed "
          + (limits.maxUploadBytes() + limits.uploadDrainBytes()) + " (max-upload-bytes + upload-drain-bytes): connection closed unread");
      return tooLarge();
    }
    log.warn("upload failed: {}", Problems.cause(t).toString());
    return problems.of(StatusCodes.SERVICE_UNAVAILABLE, "upload failed", "the node could not store or distribute it; see its log");
  }

  private HttpResponse tooLarge() {
    return problems.of(StatusCodes.PAYLOAD_TOO_LARGE, "bundle too large",
        "the limit is " + limits.maxUploadBytes() + " bytes (molt.http.max-upload-bytes)");
  }

  private Route releases() {
    return completeWithFuture(ClusterRoutes.view(orchestrator, problems, view -> {
      Map<String, ObjectNode> releases = new TreeMap<>();
      for (NodeStatus node : view.nodes()) {
        node.releases().forEach(r -> {
          ObjectNode entry = releases.computeIfAbsent(r.release().toString(), k -> json.createObjectNode()
              .put("name", r.release().name()).put("version", r.release().version()).put("sha256", r.sha256()));
          entry.with("nodes").put(node.node(), r.status().json());
        });
      }
      ObjectNode body = json.createObjectNode();
      body.set("releases", json.valueToTree(List.copyOf(releases.values())));
      return problems.response(StatusCodes.OK, body);
    }));
  }

  private static void deleteQuietly(Path file) {
    UploadFiles.delete(file);
  }
}
