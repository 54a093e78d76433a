package dev.molt.node.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import akka.actor.typed.javadsl.Adapter;
import dev.molt.protocol.envelope.Envelope;
import dev.molt.protocol.envelope.Rejection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Envelopes are what crosses nodes: they must survive Akka's own serialization, refs included. */
class EnvelopesTest {
  record Get(ActorRef<Envelope> replyTo, String detail) {}

  static final MessageType<Get> GET = MessageType.of("get", 2, Get.class);
  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void roundTripsThroughAkkaSerializationWithItsActorRef() {
    Envelopes envelopes = Envelopes.get(kit.system());
    TestProbe<Envelope> probe = kit.createTestProbe(Envelope.class);
    Envelope sent = envelopes.of(GET, new Get(probe.getRef(), "all"));

    Serialization serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
    byte[] bytes = serialization.serialize(sent).get();
    var serializer = serialization.findSerializerFor(sent);
    assertEquals("akka.serialization.jackson.JacksonJsonSerializer", serializer.getClass().getName(),
        "bound to Akka's jackson-json serializer by molt's reference.conf");
    Envelope received = (Envelope) serialization.deserialize(bytes, serializer.identifier(),
        Serializers.manifestFor(serializer, sent)).get();

    assertEquals(sent, received);
    Get get = envelopes.read(received, GET);
    assertEquals("all", get.detail());
    get.replyTo().tell(envelopes.of("pong", 1, new Rejection("none", "just a payload")));
    assertEquals("pong", probe.receiveMessage().type(), "the ref inside the payload still reaches the probe");
  }

  @Test
  void readingTheWrongTypeSaysWhatArrived() {
    Envelopes envelopes = Envelopes.get(kit.system());
    Envelope rejected = envelopes.of(Envelope.REJECTED, 1, new Rejection("get", "stash full"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> envelopes.read(rejected, GET));
    assertEquals("expected 'get' but the message 'get' was rejected: stash full", e.getMessage());
    IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
        () -> envelopes.read(envelopes.of("put", 1, "x"), GET));
    assertEquals("expected envelope 'get' but got 'put'", other.getMessage());
    assertTrue(envelopes.replyTo(rejected).isEmpty());
  }
}
