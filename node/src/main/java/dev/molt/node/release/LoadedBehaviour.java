package dev.molt.node.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.node.spi.BehaviourContext;
import dev.molt.node.spi.ReleaseJson;
import dev.molt.node.spi.VersionedBehaviour;
import dev.molt.protocol.envelope.Envelope;
import dev.molt.protocol.release.BehaviourSpec;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A behaviour of a loaded release, wrapped so that every call into release code runs with the
 * release's loader as the thread's context class loader (dispatcher threads carry the system's,
 * and ServiceLoader or Jackson would look in the wrong place) and turns a {@link LinkageError}
 * into an ordinary {@link ReleaseCodeException}.
 */
public final class LoadedBehaviour {

  /** A message type name no behaviour declared; the host rejects the message with this text. */
  public static final class UnknownMessageType extends Exception {
    private static final long serialVersionUID = 1L;

    UnknownMessageType(String message) {
      super(message);
    }
  }

  private final LoadedRelease release;
  private final BehaviourSpec spec;
  private final VersionedBehaviour<Object, Object> code;
  private final Map<String, Class<?>> messageTypes;
  private final Class<?> messageType;
  private final int messageSchemaVersion;

  LoadedBehaviour(LoadedRelease release, BehaviourSpec spec, VersionedBehaviour<Object, Object> code,
      Map<String, Class<?>> messageTypes, int messageSchemaVersion) {
    this.release = release;
    this.spec = spec;
    this.code = code;
    this.messageTypes = Map.copyOf(messageTypes);
    this.messageType = code.messageType();
    this.messageSchemaVersion = messageSchemaVersion;
  }

  public String name() {
    return spec.name();
  }

  public int version() {
    return spec.version();
  }

  public LoadedRelease release() {
    return release;
  }

  public ClassLoader loader() {
    return release.loader();
  }

  public ReleaseJson json() {
    return release.json();
  }

  /** Read once at load: it is asked for every envelope this version writes. */
  public int messageSchemaVersion() {
    return messageSchemaVersion;
  }

  public boolean accepts(Object message) {
    return messageType.isInstance(message);
  }

  public Object initialState(JsonNode startArgument) throws Exception {
    return callChecked("initialState", () -> code.initialState(startArgument, json()));
  }

  public Object onMessage(BehaviourContext<Object> context, Object state, Object message) throws Exception {
    return callChecked("onMessage", () -> code.onMessage(context, state, message));
  }

  public void onActivate(BehaviourContext<Object> context, Object state) throws Exception {
    callChecked("onActivate", () -> {
      code.onActivate(context, state);
      return null;
    });
  }

  public boolean migratesUpFrom(int olderVersion) {
    return call("migratesUpFrom", () -> code.migratesUpFrom(olderVersion));
  }

  public boolean migratesDownTo(int olderVersion) {
    return call("migratesDownTo", () -> code.migratesDownTo(olderVersion));
  }

  public Object migrateUp(int fromVersion, JsonNode oldState, JsonNode extra) throws Exception {
    return callChecked("migrateUp", () -> code.migrateUp(fromVersion, oldState, extra, json()));
  }

  public JsonNode migrateDown(int toVersion, Object state, JsonNode extra) throws Exception {
    return callChecked("migrateDown", () -> code.migrateDown(toVersion, state, extra, json()));
  }

  public void validate(Object state) throws Exception {
    callChecked("validate", () -> {
      code.validate(state);
      return null;
    });
  }

  public JsonNode encodeState(Object state) {
    return toJson(state);
  }

  /** Any object of this release (a state, a message) as JSON, with the release's mapper. */
  JsonNode toJson(Object value) {
    return call("toJson", () -> json().toJson(value));
  }

  public Object decodeState(JsonNode json) {
    return call("decodeState", () -> json().fromJson(json, code.stateType()));
  }

  /**
   * Decodes an envelope into this version's message class for its type; a payload of an older
   * schema is first read up by this version's {@code migrateMessageUp}.
   */
  public Object decodeMessage(Envelope envelope) throws UnknownMessageType {
    Class<?> type = messageTypes.get(envelope.type());
    if (type == null) {
      throw new UnknownMessageType("unknown message type '" + envelope.type() + "' for " + this
          + " (it knows " + messageTypes.keySet().stream().sorted().toList() + ")");
    }
    return call("decodeMessage", () -> {
      JsonNode payload = envelope.schemaVersion() < messageSchemaVersion
          ? code.migrateMessageUp(envelope.type(), envelope.schemaVersion(), envelope.payload(), json())
          : envelope.payload();
      return json().fromJson(payload, type);
    });
  }

  /**
   * {@code message}, an object of this release, as an envelope of {@code type} in the schema
   * {@code writeSchema} at most: a lower schema than this version's is written by its {@code
   * migrateMessageDown}.
   */
  public Envelope encodeMessage(String type, Object message, int writeSchema) {
    int schema = Math.min(writeSchema, messageSchemaVersion);
    return new Envelope(type, schema, call("encodeMessage", () -> {
      JsonNode payload = json().toJson(message);
      return schema < messageSchemaVersion ? code.migrateMessageDown(type, schema, payload, json()) : payload;
    }));
  }

  /** The name {@code message}'s class travels under: as this release declares it, else derived from the class. */
  public String messageName(Object message) {
    return release.messageName(message.getClass());
  }

  /** The application this behaviour belongs to, whose write floor applies to its envelopes. */
  public String application() {
    return release.id().name();
  }

  Map<String, Class<?>> messageTypes() {
    return messageTypes;
  }

  private <T> T call(String what, Callable<T> body) {
    try {
      return callChecked(what, body);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new ReleaseCodeException(what + " of " + this + " failed: " + e, e);
    }
  }

  private <T> T callChecked(String what, Callable<T> body) throws Exception {
    return ReleaseCall.in(release.loader(), this, what, body);
  }

  @Override
  public String toString() {
    return spec.name() + " v" + spec.version() + " (" + release.id() + ")";
  }
}
