package dev.molt.node.release;

import akka.actor.typed.ActorRefResolver;
import dev.molt.node.json.MoltJson;
import dev.molt.node.spi.MessageNames;
import dev.molt.node.spi.MoltBehaviour;
import dev.molt.node.spi.ReleaseJson;
import dev.molt.node.spi.VersionedBehaviour;
import dev.molt.protocol.envelope.Envelope;
import dev.molt.protocol.release.BehaviourSpec;
import dev.molt.protocol.release.ReleaseDescriptor;
import dev.molt.protocol.release.ReleaseId;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A release whose code is loaded in its own {@link ReleaseClassLoader}, with its behaviours
 * instantiated and checked against the SPI and one JSON mapper for all of them. Everything done
 * per release (reflection, message-type tables, the mapper) is done here once, not per actor.
 */
public final class LoadedRelease {

  private record MessageName(String type, LoadedBehaviour behaviour) {}

  private final StoredRelease stored;
  private final ReleaseId id;
  private final ReleaseClassLoader loader;
  private final ReleaseJson json;
  private final Map<String, LoadedBehaviour> behaviours = new LinkedHashMap<>();
  private final Map<Class<?>, MessageName> messageNames = new HashMap<>();
  private int users;
  private boolean closed;

  private LoadedRelease(StoredRelease stored, ReleaseClassLoader loader, ReleaseJson json) {
    this.stored = stored;
    this.id = stored.id();
    this.loader = loader;
    this.json = json;
  }

  /** Loads a stored release's code; on any failure its loader is closed and nothing is kept. */
  static LoadedRelease load(StoredRelease stored, String source, ClassLoader parent, ActorRefResolver resolver)
      throws InvalidBundleException {
    ReleaseClassLoader loader = new ReleaseClassLoader(stored.id(), urls(source, stored.jars()), parent);
    try {
      var json = new ReleaseJsonMapper(MoltJson.forRelease(loader, resolver));
      LoadedRelease release = new LoadedRelease(stored, loader, json);
      for (BehaviourSpec spec : stored.descriptor().behaviours()) {
        release.add(source, spec);
      }
      loader.bind(release);
      return release;
    } catch (InvalidBundleException e) {
      closeQuietly(loader);
      throw e;
    } catch (RuntimeException | Error e) {
      // Static initialisers and describing methods are release code: whatever they throw is the bundle's fault.
      closeQuietly(loader);
      throw new InvalidBundleException(source, "loading its code failed: " + e, e);
    }
  }

  private void add(String source, BehaviourSpec spec) throws InvalidBundleException {
    VersionedBehaviour<Object, Object> code = instantiate(source, spec);
    String what = "behaviour '" + spec.name() + "' (" + spec.entryClass() + ")";
    int declared;
    int schemaVersion;
    Map<String, ? extends Class<?>> types;
    try {
      if (code instanceof MoltBehaviour<?, ?> molt) {
        // Its version is the descriptor's; one it also declares (@Version) must agree.
        ReleaseCall.in(loader, what, "descriptorVersion", () -> {
          molt.descriptorVersion(spec.version());
          return null;
        });
      }
      declared = ReleaseCall.in(loader, what, "version", code::version);
      schemaVersion = ReleaseCall.in(loader, what, "messageSchemaVersion", code::messageSchemaVersion);
      types = ReleaseCall.in(loader, what, "messageTypes", code::messageTypes);
      if (ReleaseCall.in(loader, what, "stateType", code::stateType) == null
          || ReleaseCall.in(loader, what, "messageType", code::messageType) == null) {
        throw new InvalidBundleException(source, what + " returns null from stateType() or messageType()");
      }
    } catch (InvalidBundleException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new InvalidBundleException(source, what + ": " + e.getMessage(), e);
    } catch (Exception e) {
      throw new InvalidBundleException(source, what + " fails to describe itself: " + e, e);
    }
    if (declared != spec.version()) {
      throw new InvalidBundleException(source,
          what + " says it is version " + declared + " but " + ReleaseDescriptor.FILE_NAME + " says " + spec.version()
              + ": give the version in one place (the descriptor; a MoltBehaviour takes it from there)");
    }
    if (types == null || types.isEmpty()) {
      throw new InvalidBundleException(source, what + " declares no message types");
    }
    for (Map.Entry<String, ? extends Class<?>> type : types.entrySet()) {
      if (type.getKey() == null || type.getKey().isBlank() || type.getValue() == null) {
        throw new InvalidBundleException(source, what + " declares a message type with no name or no class");
      }
    }
    LoadedBehaviour behaviour = new LoadedBehaviour(this, spec, code, new HashMap<>(types), schemaVersion);
    behaviours.put(spec.name(), behaviour);
    types.forEach((name, type) -> messageNames.put(type, new MessageName(name, behaviour)));
  }

  @SuppressWarnings("unchecked")
  private VersionedBehaviour<Object, Object> instantiate(String source, BehaviourSpec spec) throws InvalidBundleException {
    String what = "entry class " + spec.entryClass() + " of behaviour '" + spec.name() + "'";
    Class<?> type;
    try {
      type = Class.forName(spec.entryClass(), false, loader);
    } catch (ClassNotFoundException e) {
      throw new InvalidBundleException(source, what + " is not in the bundle's jars", e);
    } catch (LinkageError e) {
      throw new InvalidBundleException(source, what + " does not load: " + e, e);
    }
    if (type.getClassLoader() != loader) {
      throw new InvalidBundleException(source,
          what + " comes from the node's class path, not from the bundle: release code must live only in the bundle");
    }
    if (!VersionedBehaviour.class.isAssignableFrom(type)) {
      throw new InvalidBundleException(source, what + " does not implement " + VersionedBehaviour.class.getName());
    }
    if (Modifier.isAbstract(type.getModifiers())) {
      throw new InvalidBundleException(source, what + " is abstract");
    }
    try {
      Constructor<?> constructor = type.getDeclaredConstructor();
      return (VersionedBehaviour<Object, Object>) ReleaseCall.in(loader, what, "constructor", constructor::newInstance);
    } catch (NoSuchMethodException e) {
      throw new InvalidBundleException(source, what + " has no constructor without arguments", e);
    } catch (Exception e) {
      Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
      throw new InvalidBundleException(source, what + " cannot be instantiated: " + cause, cause);
    }
  }

  public ReleaseId id() {
    return id;
  }

  public ReleaseDescriptor descriptor() {
    return stored.descriptor();
  }

  public StoredRelease stored() {
    return stored;
  }

  public String sha256() {
    return stored.sha256();
  }

  ReleaseClassLoader loader() {
    return loader;
  }

  /** A weak reference to this release's class loader, for leak checks (benchmarks, diagnostics). */
  public java.lang.ref.WeakReference<ClassLoader> loaderReference() {
    return new java.lang.ref.WeakReference<>(loader);
  }

  public ReleaseJson json() {
    return json;
  }

  public Optional<LoadedBehaviour> behaviour(String name) {
    return Optional.ofNullable(behaviours.get(name));
  }

  public Collection<LoadedBehaviour> behaviours() {
    return List.copyOf(behaviours.values());
  }

  /**
   * Turns a message object of this release into data, so that a host now on another release can
   * decode it: the message was sent, stashed or scheduled before that host's swap.
   */
  public Envelope encodeMessage(Object message) {
    return encodeMessage(message, Integer.MAX_VALUE);
  }

  /**
   * As {@link #encodeMessage(Object)}, in the schema {@code readerSchema} at most: the reader is an
   * older version after a downgrade, and reads the shape it knows.
   */
  public Envelope encodeMessage(Object message, int readerSchema) {
    MessageName name = messageNames.get(message.getClass());
    if (name == null) {
      throw new IllegalArgumentException("message class " + message.getClass().getName()
          + " is not listed in messageTypes() of any behaviour of " + id());
    }
    return name.behaviour().encodeMessage(name.type(), message, readerSchema);
  }

  /** The name a class travels under: as a behaviour of this release declares it, else derived from the class. */
  String messageName(Class<?> type) {
    MessageName name = messageNames.get(type);
    return name != null ? name.type() : MessageNames.nameOf(type);
  }

  /** Number of users of this release: actors running on it, and application requests in flight on its routes. */
  public synchronized int users() {
    return users;
  }

  /**
   * Registers one more actor on this release; false once it was purged, so that no actor can
   * start on a release between the purge's check and its close.
   */
  public synchronized boolean tryUse() {
    if (closed) {
      return false;
    }
    users++;
    return true;
  }

  /** The actor that {@link #tryUse used} this release no longer does (stopped, or moved to another). */
  public synchronized void unuse() {
    users--;
  }

  /** Closes the loader if no actor uses the release; false (and nothing done) otherwise. */
  synchronized boolean closeIfUnused() {
    if (users > 0) {
      return false;
    }
    closed = true;
    closeQuietly(loader);
    return true;
  }

  synchronized void close() {
    closed = true;
    closeQuietly(loader);
  }

  private static URL[] urls(String source, List<Path> jars) throws InvalidBundleException {
    URL[] urls = new URL[jars.size()];
    for (int i = 0; i < urls.length; i++) {
      try {
        urls[i] = jars.get(i).toUri().toURL();
      } catch (MalformedURLException e) {
        throw new InvalidBundleException(source, "bad jar path " + jars.get(i), e);
      }
    }
    return urls;
  }

  private static void closeQuietly(ReleaseClassLoader loader) {
    try {
      loader.close();
    } catch (IOException ignored) {
      // Only open jar files are released by close; a failure leaves them to the GC.
    }
  }

  @Override
  public String toString() {
    return "release " + id();
  }
}
