package dev.molt.node.json;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * Writes typed {@link ActorRef}s as their serialization format (with the node's address, so a
 * ref in an envelope still works on another node) and resolves them back through the
 * ActorSystem's {@link ActorRefResolver}.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
public final class ActorRefModule extends SimpleModule {
  private static final long serialVersionUID = 1L;

  public ActorRefModule(ActorRefResolver resolver) {
    super("molt-actor-ref");
    addSerializer(ActorRef.class, new RefSerializer(resolver));
    addDeserializer(ActorRef.class, new RefDeserializer(resolver));
  }

  private static final class RefSerializer extends StdSerializer<ActorRef> {
    private static final long serialVersionUID = 1L;
    private final transient ActorRefResolver resolver;

    RefSerializer(ActorRefResolver resolver) {
      super(ActorRef.class);
      this.resolver = resolver;
    }

    @Override
    public void serialize(ActorRef ref, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeString(resolver.toSerializationFormat(ref));
    }
  }

  private static final class RefDeserializer extends StdDeserializer<ActorRef> {
    private static final long serialVersionUID = 1L;
    private final transient ActorRefResolver resolver;

    RefDeserializer(ActorRefResolver resolver) {
      super(ActorRef.class);
      this.resolver = resolver;
    }

    @Override
    public ActorRef deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String text = p.getValueAsString();
      if (text == null || text.isBlank()) {
        return (ActorRef) ctxt.handleUnexpectedToken(ActorRef.class, p);
      }
      return resolver.resolveActorRef(text);
    }
  }
}
