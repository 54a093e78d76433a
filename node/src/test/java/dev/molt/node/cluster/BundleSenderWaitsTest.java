package dev.molt.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import dev.molt.protocol.control.AgentRequest;
import dev.molt.protocol.control.ControlMessages.BundleChunk;
import dev.molt.protocol.control.ControlMessages.TransferResult;
import dev.molt.protocol.release.ReleaseId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle transfer waits for each chunk's acknowledgement as long as the receiver keeps an idle
 * transfer ({@code molt.transfer.idle-timeout}), and for the last one, acknowledged after the
 * receiver's unpack, as long as an unpack may take ({@code molt.agent.install-timeout}); a receiver
 * that stays silent fails the transfer naming the chunk, the wait and its setting.
 */
class BundleSenderWaitsTest {
  static final ActorTestKit testKit = ActorTestKit.create();
  static final ReleaseId RELEASE = new ReleaseId("counter", "1.0.0");
  static final BundleSender.Waits WAITS = new BundleSender.Waits(Duration.ofSeconds(1), Duration.ofSeconds(2));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aSilentReceiverFailsTheTransferNamingTheWaitOfTheChunkItOwes(@TempDir Path dir) throws IOException {
    assertEquals("no acknowledgement of chunk 0 within 1 s (molt.transfer.idle-timeout)",
        silentReceiver(dir.resolve("two-chunks.molt"), BundleSender.CHUNK_BYTES + 1, false));
    assertEquals("no acknowledgement of chunk 0 within 2 s (molt.agent.install-timeout)",
        silentReceiver(dir.resolve("one-chunk.molt"), 10, true));
  }

  /** Sends a {@code size}-byte file to a receiver that never acknowledges; the failure, without the receiver's address. */
  private static String silentReceiver(Path file, int size, boolean last) throws IOException {
    Files.write(file, new byte[size]);
    TestProbe<AgentRequest> receiver = testKit.createTestProbe();
    TestProbe<TransferResult> result = testKit.createTestProbe();
    testKit.spawn(BundleSender.create(RELEASE, "sha", size, file, List.of(receiver.getRef()), WAITS, result.getRef()));
    BundleChunk chunk = receiver.expectMessageClass(BundleChunk.class);
    assertEquals(0, chunk.index());
    assertEquals(last, chunk.last());
    TransferResult failed = result.receiveMessage(Duration.ofSeconds(30));
    assertTrue(failed.stored().isEmpty());
    assertEquals(1, failed.failed().size());
    String failure = failed.failed().get(0);
    String address = receiver.getRef().path().address().toString() + ": ";
    assertTrue(failure.startsWith(address), failure);
    receiver.expectNoMessage(Duration.ofMillis(100));
    return failure.substring(address.length());
  }
}
