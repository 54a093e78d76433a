package dev.molt.node.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import dev.molt.protocol.control.AgentRequest;
import dev.molt.protocol.control.ControlMessages.BundleChunk;
import dev.molt.protocol.control.ControlMessages.ChunkAck;
import dev.molt.protocol.control.ControlMessages.TransferResult;
import dev.molt.protocol.release.ReleaseId;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Streams one stored bundle to a list of agents, one target after the other, one chunk at a time:
 * each chunk waits for its acknowledgement (stop-and-wait), so a slow receiver is never flooded
 * and a failure names the target and the chunk. Chunks stay well under Artery's frame size.
 */
final class BundleSender {
  static final int CHUNK_BYTES = 96 * 1024;

  /**
   * How long a chunk's acknowledgement may take: {@code ack} for each chunk (the receiver drops a
   * transfer idle that long, {@code molt.transfer.idle-timeout}), {@code unpack} for the last, which
   * the receiver acknowledges once it verified and unpacked the bundle ({@code molt.agent.install-timeout}).
   */
  record Waits(Duration ack, Duration unpack) {}

  record Acked(ChunkAck ack, Throwable failure) {}

  private BundleSender() {}

  static Behavior<Acked> create(ReleaseId release, String sha256, long size, Path file, List<ActorRef<AgentRequest>> targets,
      Waits waits, ActorRef<TransferResult> replyTo) {
    return Behaviors.setup(context -> new Sending(context, release, sha256, size, file, targets, waits, replyTo).next());
  }

  private static final class Sending {
    private final ActorContext<Acked> context;
    private final ReleaseId release;
    private final String sha256;
    private final long size;
    private final Path file;
    private final List<ActorRef<AgentRequest>> targets;
    private final Waits waits;
    private final ActorRef<TransferResult> replyTo;
    private final List<String> stored = new ArrayList<>();
    private final List<String> failed = new ArrayList<>();
    private int target = -1;
    private int index;
    private String transfer;

    Sending(ActorContext<Acked> context, ReleaseId release, String sha256, long size, Path file,
        List<ActorRef<AgentRequest>> targets, Waits waits, ActorRef<TransferResult> replyTo) {
      this.context = context;
      this.release = release;
      this.sha256 = sha256;
      this.size = size;
      this.file = file;
      this.targets = targets;
      this.waits = waits;
      this.replyTo = replyTo;
    }

    /** Starts the next target, or finishes. */
    Behavior<Acked> next() {
      target++;
      if (target >= targets.size()) {
        context.getLog().info("bundle {} sent: stored on {} node(s), failed on {}", release, stored.size(), failed);
        replyTo.tell(new TransferResult(release, stored, failed));
        return Behaviors.stopped();
      }
      index = 0;
      transfer = UUID.randomUUID().toString();
      return sendChunk();
    }

    private Behavior<Acked> sendChunk() {
      ActorRef<AgentRequest> to = targets.get(target);
      long offset = (long) index * CHUNK_BYTES;
      byte[] data;
      try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
        int length = (int) Math.min(CHUNK_BYTES, Math.max(0, size - offset));
        data = new byte[length];
        in.seek(offset);
        in.readFully(data);
      } catch (IOException e) {
        failed.add(to.path().address() + ": cannot read " + file + ": " + e.getMessage());
        return next();
      }
      boolean last = offset + data.length >= size;
      int sent = index;
      // The last chunk is acknowledged after the receiver verified and unpacked the bundle.
      context.ask(ChunkAck.class, to, last ? waits.unpack() : waits.ack(),
          (ActorRef<ChunkAck> ack) -> new BundleChunk(transfer, release, sha256, size, sent, last, data, ack),
          Acked::new);
      return Behaviors.receive(Acked.class).onMessage(Acked.class, acked -> onAck(acked, last)).build();
    }

    private Behavior<Acked> onAck(Acked acked, boolean last) {
      ActorRef<AgentRequest> to = targets.get(target);
      String where = to.path().address().toString();
      if (acked.failure() != null) {
        failed.add(where + ": no acknowledgement of chunk " + index + " within " + (last
            ? waits.unpack().toSeconds() + " s (molt.agent.install-timeout)"
            : waits.ack().toSeconds() + " s (molt.transfer.idle-timeout)"));
        return next();
      }
      if (!acked.ack().ok()) {
        failed.add(acked.ack().node() + ": " + acked.ack().error());
        return next();
      }
      if (last) {
        stored.add(acked.ack().node());
        return next();
      }
      index++;
      return sendChunk();
    }
  }
}
