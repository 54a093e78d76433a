package dev.molt.node.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.molt.node.envelope.SchemaFloors;
import dev.molt.node.testing.Ledger;
import dev.molt.node.testing.MoltTestKit;
import dev.molt.protocol.envelope.Envelope;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Messages between versions: the ledger's deposit changed shape from v1 ({@code {from, cents}}) to
 * v2 ({@code {from, amount: {cents, currency}}}). v2 reads v1's (up), and while the application's
 * write floor is 1.0.0 it writes v1's shape (down), so a v1 account reads it; lifted, v2 writes its own.
 */
class MessageMigrationTest {
  private MoltTestKit molt;
  private Ledger ledger;
  private ActorRef<Object> v1;
  private ActorRef<Object> v2;

  @BeforeEach
  void start() {
    molt = MoltTestKit.create();
    ledger = new Ledger(molt);
    ledger.install("1.0.0", "2.0.0");
    v1 = ledger.account("on-v1");
    v2 = ledger.account("on-v2");
    ledger.swap(v2, Ledger.V2);
  }

  @AfterEach
  void stop() {
    molt.close();
  }

  @Test
  void underAFloorOfOneV2WritesWhatV1Reads() {
    SchemaFloors.get(molt.kit.system()).set(Ledger.V1);
    v2.tell(send(v1, 250));
    // Once v2 answers, its deposit sits in v1's mailbox (a local tell enqueues before it returns).
    assertEquals(-250, ledger.view(v2).cents());

    Ledger.AccountView read = ledger.view(v1);
    assertEquals(1, read.version());
    assertEquals(250, read.cents(), "v1 read v2's deposit of 250 written in schema 1");
  }

  @Test
  void v2ReadsV1sDepositThroughItsUpMigration() {
    v1.tell(send(v2, 70));
    assertEquals(-70, ledger.view(v1).cents());

    Ledger.AccountView read = ledger.view(v2);
    assertEquals(2, read.version());
    assertEquals(70, read.cents(), "v2 read v1's {cents: 70} as {amount: {cents: 70}}");
  }

  @Test
  void theFloorShapesWhatLeavesAndLiftingItWritesTheNewShape() {
    SchemaFloors floors = SchemaFloors.get(molt.kit.system());
    TestProbe<Envelope> outside = molt.kit.createTestProbe(Envelope.class);

    floors.set(Ledger.V1);
    v2.tell(send(outside.getRef(), 5));
    Envelope underFloor = outside.receiveMessage();
    assertEquals("deposit", underFloor.type());
    assertEquals(1, underFloor.schemaVersion());
    assertEquals("{\"from\":\"on-v2\",\"cents\":5}", underFloor.payload().toString());

    floors.lift("ledger");
    v2.tell(send(outside.getRef(), 6));
    Envelope lifted = outside.receiveMessage();
    assertEquals(2, lifted.schemaVersion());
    assertEquals("{\"from\":\"on-v2\",\"amount\":{\"cents\":6,\"currency\":\"EUR\"}}", lifted.payload().toString());
  }

  @Test
  void aFloorOfAnotherApplicationChangesNothing() {
    molt.installCounter("1.0.0");
    SchemaFloors.get(molt.kit.system()).set(MoltTestKit.V1);
    TestProbe<Envelope> outside = molt.kit.createTestProbe(Envelope.class);
    v2.tell(send(outside.getRef(), 7));
    assertEquals(2, outside.receiveMessage().schemaVersion());
  }

  private Envelope send(ActorRef<?> to, long cents) {
    return ledger.envelope("send", Map.of("to", to, "cents", cents));
  }
}
