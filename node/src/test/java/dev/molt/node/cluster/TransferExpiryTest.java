package dev.molt.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.LoggingTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.molt.node.agent.AgentCommand;
import dev.molt.node.testing.MoltTestKit;
import dev.molt.node.testing.TestBundles;
import dev.molt.protocol.control.AgentRequest;
import dev.molt.protocol.control.ControlMessages.BundleChunk;
import dev.molt.protocol.control.ControlMessages.ChunkAck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A node receiving a bundle from a sender that stops drops the transfer and its partial file. */
class TransferExpiryTest {

  @Test
  void aTransferWhoseSenderStopsExpiresAndItsFileIsGone() throws IOException {
    try (MoltTestKit molt = MoltTestKit.create("""
        akka.actor.provider = cluster
        akka.remote.artery.canonical.port = 0
        molt.transfer.idle-timeout = 1s
        akka.actor.testkit.typed.filter-leeway = 60s
        """)) {
      TestProbe<AgentCommand> localAgent = molt.kit.createTestProbe(AgentCommand.class);
      ActorRef<AgentRequest> receiver = molt.kit.spawn(ClusterAgent.create(localAgent.getRef()), "cluster-agent");
      TestProbe<ChunkAck> sender = molt.kit.createTestProbe(ChunkAck.class);
      byte[] bundle = Files.readAllBytes(TestBundles.counter("1.0.0"));
      byte[] first = Arrays.copyOf(bundle, 1024);
      String transfer = UUID.randomUUID().toString();
      Path incoming = molt.store.resolve("incoming");

      // The sender sends chunk 0 and then nothing more (it crashed): the receiver gives the transfer up.
      // The WARN names the partial file it removed; the file cannot be checked for in between without a race.
      LoggingTestKit.warn("transfer " + transfer + " of counter-1.0.0 expired: no chunk for 1 s after chunk 0 "
              + "(1024 bytes received); removed counter-1.0.0-" + transfer + ".molt (1 transfer(s) expired since start")
          .expect(molt.kit.system(), () -> {
            receiver.tell(new BundleChunk(transfer, MoltTestKit.V1, "unused", bundle.length, 0, false, first,
                sender.getRef()));
            assertTrue(sender.receiveMessage().ok(), "chunk 0 is taken");
            return null;
          });
      assertEquals(0, files(incoming), "the partial file is gone");
      assertEquals(1, molt.registry().counters().expiredTransfers());

      byte[] second = Arrays.copyOfRange(bundle, 1024, 2048);
      receiver.tell(new BundleChunk(transfer, MoltTestKit.V1, "unused", bundle.length, 1, false, second, sender.getRef()));
      ChunkAck late = sender.receiveMessage();
      assertFalse(late.ok());
      assertEquals("no transfer " + transfer + " in progress (a transfer starts at chunk 0, and one idle for 1 s expires: "
          + "molt.transfer.idle-timeout)", late.error());
      assertEquals(0, files(incoming), "a late chunk writes nothing");
      localAgent.expectNoMessage(Duration.ofMillis(100));
    }
  }

  private static long files(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.count();
    }
  }
}
