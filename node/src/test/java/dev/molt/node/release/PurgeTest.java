package dev.molt.node.release;

import static dev.molt.node.testing.MoltTestKit.V1;
import static dev.molt.node.testing.MoltTestKit.V2;
import static dev.molt.node.testing.MoltTestKit.extra;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import akka.actor.typed.ActorRef;
import com.sun.management.HotSpotDiagnosticMXBean;
import dev.molt.node.host.HostActor;
import dev.molt.node.host.HostCommand;
import dev.molt.node.host.HostReply;
import dev.molt.node.testing.Increment;
import dev.molt.node.testing.MoltTestKit;
import dev.molt.protocol.release.ReleaseId;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OTP's purge: once no actor runs a release and it is purged, nothing references its class
 * loader and the GC collects it, after swaps up and after swaps down.
 */
class PurgeTest {
  private static final int ACTORS = 200;
  private MoltTestKit molt;
  private final List<ActorRef<Object>> counters = new ArrayList<>();

  @BeforeEach
  void start() {
    molt = MoltTestKit.create();
    molt.installCounter("1.0.0", "2.0.0");
    for (int i = 0; i < ACTORS; i++) {
      counters.add(molt.kit.spawn(HostActor.supervised("counter", null), "counter-" + i));
    }
    traffic(1);
  }

  @AfterEach
  void stop() {
    molt.close();
  }

  @Test
  void v1LoaderIsCollectedAfterEveryActorMovedUp() throws Exception {
    WeakReference<ClassLoader> v1 = weakLoaderOf(V1);
    swapAll(V2);
    traffic(2);
    IllegalStateException current = assertThrows(IllegalStateException.class, () -> molt.registry().purge(V1));
    assertEquals("release counter-1.0.0 is current; make another release current first", current.getMessage());
    molt.registry().makeCurrent(V2);
    molt.registry().purge(V1);

    assertCollected(v1, "v1's class loader is still reachable after every actor left it");
    assertEquals(2, molt.get(counters.get(0)).version(), "the actors run v2");
    assertEquals(2, molt.get(counters.get(ACTORS - 1)).counted());
  }

  @Test
  void v2LoaderIsCollectedAfterEveryActorMovedBackDown() throws Exception {
    swapAll(V2);
    traffic(2);
    WeakReference<ClassLoader> v2 = weakLoaderOf(V2);
    IllegalStateException inUse = assertThrows(IllegalStateException.class, () -> molt.registry().purge(V2));
    assertEquals("release counter-2.0.0 is still used by " + ACTORS + " actor(s) or application request(s) in flight", inUse.getMessage());
    swapAll(V1);
    traffic(3);
    molt.registry().purge(V2);

    assertCollected(v2, "v2's class loader is still reachable after every actor went back to v1");
    assertNotNull(weakLoaderOf(V1).get(), "v1, in use, stays");
    assertEquals(1, molt.get(counters.get(0)).version());
    assertEquals(3, molt.get(counters.get(ACTORS - 1)).counted());
  }

  private void swapAll(ReleaseId target) {
    var probe = molt.kit.<HostReply>createTestProbe();
    for (ActorRef<Object> counter : counters) {
      counter.tell(new HostCommand.Swap(target, extra("label", "purge"), probe.getRef()));
    }
    for (int i = 0; i < ACTORS; i++) {
      HostReply reply = probe.receiveMessage();
      assertTrue(reply instanceof HostReply.Changed, "swap failed: " + reply);
    }
  }

  /** One increment and one ping each: release objects (Pongs) in the mailboxes around swaps. */
  private void traffic(long seq) {
    for (ActorRef<Object> counter : counters) {
      counter.tell(molt.increment(seq));
      counter.tell(molt.envelopes().of("ping", 1, Map.of("n", seq)));
    }
    for (ActorRef<Object> counter : counters) {
      assertEquals(seq, molt.get(counter).lastSeq());
    }
  }

  // Kept out of the test methods so that no local variable holds the release.
  private WeakReference<ClassLoader> weakLoaderOf(ReleaseId id) {
    return new WeakReference<>(molt.registry().find(id).orElseThrow().loader());
  }

  /**
   * Fails unless the GC clears the reference. A failure leaves a heap dump under target/ (named in
   * the message): the path from a GC root to the loader is the leak.
   */
  static void assertCollected(WeakReference<ClassLoader> reference, String message) throws Exception {
    if (collected(reference)) {
      return;
    }
    Path dump = Path.of("target", "purge-leak-" + System.currentTimeMillis() + ".hprof").toAbsolutePath();
    Files.createDirectories(dump.getParent());
    ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(dump.toString(), true);
    fail(message + " (" + reference.get() + "); heap dumped to " + dump);
  }

  /** Runs the GC until the reference clears, a bounded number of times. */
  static boolean collected(WeakReference<?> reference) throws InterruptedException {
    // Bounded, and it stops as soon as the loader is gone.
    for (int attempt = 0; attempt < 300 && reference.get() != null; attempt++) {
      System.gc();
      byte[][] pressure = new byte[16][];
      for (int i = 0; i < pressure.length; i++) {
        pressure[i] = new byte[1 << 20];
      }
      Thread.sleep(20);
    }
    return reference.get() == null;
  }
}
