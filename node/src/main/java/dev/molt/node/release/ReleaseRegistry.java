package dev.molt.node.release;

import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import dev.molt.node.dispatch.HostDispatcher;
import dev.molt.node.dispatch.PurgeSafeDispatchers;
import dev.molt.protocol.release.ReleaseId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's loaded releases and which one is current, OTP's code server for Molt. Hosts ask it
 * for their code when they start and when they restart, so a restart never goes back to a release
 * that a spawn closure captured.
 *
 * <p>Installing a release loads it but changes no actor; {@link #makeCurrent} is OTP's {@code
 * l(Mod)}: from then on, actors that start or restart get that release, while running ones move
 * only when told to change code.
 */
public final class ReleaseRegistry implements Extension {
  private static final Logger log = LoggerFactory.getLogger(ReleaseRegistry.class);
  private static final String WARM_TIMEOUT = "molt.release.warm-timeout";

  public static final ExtensionId<ReleaseRegistry> ID =
      new ExtensionId<>() {
        @Override
        public ReleaseRegistry createExtension(ActorSystem<?> system) {
          return new ReleaseRegistry(system);
        }
      };

  private final MoltSettings settings;
  private final ReleaseStore store;
  private final ActorRefResolver resolver;
  private final NodeCounters counters = new NodeCounters();
  private final ClassLoader parent = ReleaseRegistry.class.getClassLoader();
  private final Map<ReleaseId, LoadedRelease> loaded = new ConcurrentHashMap<>();
  private final Map<String, ReleaseId> current = new ConcurrentHashMap<>();
  /** Orders host spawns against make-current; see {@link #spawnListed}. */
  private final Object hostStarts = new Object();
  private final MigrationPaths paths = new MigrationPaths();
  private final ReleaseThreads threads;
  /** Read for every envelope a host decodes, so kept up to date at each load and purge, not computed per message. */
  private volatile int newestMessageSchema = 1;
  /** Told of each release made current, after it is (entity regions start here). */
  private final List<java.util.function.Consumer<LoadedRelease>> currentListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  private ReleaseRegistry(ActorSystem<?> system) {
    this.settings = MoltSettings.from(system.settings().config());
    this.store = ReleaseStore.open(settings.releaseStore(), settings.bundleLimits(), settings.bundleTrust());
    logTrust(settings.bundleTrust());
    this.resolver = ActorRefResolver.get(system);
    log.info("host actors run on dispatcher {} ({})", settings.hostDispatcher().describe(), HostDispatcher.SETTING);
    for (String dispatcher : PurgeSafeDispatchers.without(system.settings().config())) {
      log.warn("dispatcher {} does not use {}: a thread it starts while release code runs keeps that release's class "
          + "loader reachable, so a purged release may never be collected; include \"molt-dispatchers\" in the "
          + "configuration, or set the dispatcher's executor to one of those", dispatcher, PurgeSafeDispatchers.executors());
    }
    this.threads = new ReleaseThreads(counters);
    system.getWhenTerminated().thenRun(threads::shutdown);
  }

  private static void logTrust(BundleTrust trust) {
    if (!trust.required()) {
      log.warn("molt.bundle.require-signature = off: this node loads bundles without checking their signatures; "
          + "for development only");
    } else if (trust.keys().ids().isEmpty()) {
      log.warn("molt.bundle.trusted-keys is empty: this node refuses every bundle until a key is trusted");
    } else {
      log.info("bundles must be signed by a trusted key: {} (molt.bundle.trusted-keys)", String.join(", ", trust.keys().ids()));
    }
  }

  public static ReleaseRegistry get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /**
   * Verifies a bundle, stores it, loads its code and warms it. Nothing is kept when any step
   * fails (OTP: unpack). Unpacking a release the store already has with the same content is a no-op.
   *
   * @throws ReleaseConflictException the store has this name and version with other content
   * @throws InvalidBundleException the bundle was refused; the message says why
   */
  public synchronized LoadedRelease unpack(Path bundle) throws InvalidBundleException {
    long start = System.nanoTime();
    UnpackedBundle staged = store.stage(bundle);
    ReleaseId id = staged.descriptor().id();
    Optional<StoredRelease> existing = store.find(id);
    if (existing.isPresent()) {
      store.delete(staged.dir());
      if (!existing.get().sha256().equals(staged.sha256())) {
        throw new ReleaseConflictException(staged.source(), "release " + id + " is already stored with other content (sha256 "
            + existing.get().sha256() + ", this bundle " + staged.sha256() + "); publish it under a new version");
      }
      log.info("release {} already stored (sha256={}); loading it", id, staged.sha256());
      return load(id);
    }
    TreeCoverageGate.refuseUncovered(staged, store);
    long unpacked = System.nanoTime();
    StoredRelease placed = store.place(staged);
    LoadedRelease release = null;
    try {
      long deadline = unpacked + settings.warmTimeout().toNanos();
      release = loadCode(placed, staged.source());
      long codeLoaded = System.nanoTime();
      warm(staged.source(), release, deadline);
      store.commit(placed);
      loaded.put(id, release);
      loadedChanged();
      log.info("release {} unpacked: sha256={} bytes={} signedBy={} behaviours={} verify+unpack={}ms load={}ms warm={}ms",
          id, staged.sha256(), staged.sizeBytes(), staged.signer(), describe(release), ms(unpacked - start),
          ms(codeLoaded - unpacked), ms(System.nanoTime() - codeLoaded));
      return release;
    } catch (InvalidBundleException | RuntimeException | Error e) {
      if (release != null) {
        release.close();
      }
      store.delete(placed.dir());
      if (e instanceof Error error && !(error instanceof LinkageError) && !(error instanceof AssertionError)) {
        throw error;
      }
      throw e instanceof InvalidBundleException invalid ? invalid
          : new InvalidBundleException(staged.source(), "installing failed: " + e, e);
    }
  }

  /** Loads (and warms) a release the store already has; a no-op when it is loaded. */
  public synchronized LoadedRelease load(ReleaseId id) throws InvalidBundleException {
    LoadedRelease known = loaded.get(id);
    if (known != null) {
      return known;
    }
    StoredRelease stored = store.find(id)
        .orElseThrow(() -> new InvalidBundleException(id.bundleFileName(), "release " + id + " is not in the store " + store.root()));
    long start = System.nanoTime();
    LoadedRelease release = loadCode(stored, id.bundleFileName());
    try {
      warm(id.bundleFileName(), release, start + settings.warmTimeout().toNanos());
    } catch (InvalidBundleException | RuntimeException e) {
      release.close();
      throw e instanceof InvalidBundleException invalid ? invalid
          : new InvalidBundleException(id.bundleFileName(), "loading failed: " + e, e);
    }
    loaded.put(id, release);
    loadedChanged();
    log.info("release {} loaded from the store: behaviours={} took={}ms", id, describe(release), ms(System.nanoTime() - start));
    return release;
  }

  /** Runs the warm-up of a loaded release again, against every other loaded release. */
  public synchronized void warm(ReleaseId id) throws InvalidBundleException {
    LoadedRelease release = find(id).orElseThrow(() -> new InvalidBundleException(id.bundleFileName(), "release " + id + " is not loaded"));
    warm(id.bundleFileName(), release, System.nanoTime() + settings.warmTimeout().toNanos());
  }

  /**
   * Loads a stored release's code on a release-code thread: its static initialisers and
   * constructors are the first release code that runs, and one that never returns must not hold
   * this registry (and the node agent's worker) for good. A call that returns after it was
   * abandoned has its loader closed.
   */
  private LoadedRelease loadCode(StoredRelease stored, String source) throws InvalidBundleException {
    try {
      return threads.call("loading the code of " + stored.id(), settings.warmTimeout(), WARM_TIMEOUT,
          () -> LoadedRelease.load(stored, source, parent, resolver), LoadedRelease::close);
    } catch (ReleaseCodeTimeoutException e) {
      throw new InvalidBundleException(source, e.getMessage(), e);
    }
  }

  /** Warms a loaded release against every other loaded one, on a release-code thread, by {@code deadline}. */
  private void warm(String source, LoadedRelease release, long deadline) throws InvalidBundleException {
    List<LoadedRelease> others = List.copyOf(loaded.values());
    try {
      threads.call("warm-up of " + release.id(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())),
          WARM_TIMEOUT, () -> {
            ReleaseWarmer.warm(source, release, others);
            return null;
          });
    } catch (ReleaseCodeTimeoutException e) {
      throw new InvalidBundleException(source, e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      // As when it ran on its own thread: whatever release code throws during warm-up is the bundle's fault.
      throw new InvalidBundleException(source, "warm-up failed: " + e, e);
    }
  }

  /**
   * Runs the named hook of a loaded release, with the release's context class loader, on a
   * release-code thread within {@code molt.install.step-timeout}.
   */
  public void runHook(ReleaseId id, String hook) throws Exception {
    LoadedRelease release = find(id).orElseThrow(() -> new IllegalArgumentException("release " + id + " is not loaded"));
    var spec = release.descriptor().hooks().stream().filter(h -> h.name().equals(hook)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("release " + id + " declares no hook '" + hook + "'"));
    threads.call("hook '" + hook + "' of " + id, settings.installStepTimeout(), "molt.install.step-timeout",
        () -> ReleaseCall.in(release.loader(), id, "hook '" + hook + "'", () -> {
          Class<?> type = Class.forName(spec.entryClass(), true, release.loader());
          if (!dev.molt.node.spi.UpgradeHook.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("hook '" + hook + "' (" + spec.entryClass() + ") does not implement "
                + dev.molt.node.spi.UpgradeHook.class.getName());
          }
          ((dev.molt.node.spi.UpgradeHook) type.getDeclaredConstructor().newInstance())
              .apply(LoggerFactory.getLogger("molt.hook." + id + "." + hook));
          return null;
        }));
  }

  /**
   * Makes a loaded release the one actors of its application start and restart on (OTP's {@code
   * l(Mod)}). Running actors keep their code until they change it.
   */
  public synchronized void makeCurrent(ReleaseId id) {
    if (!loaded.containsKey(id)) {
      throw new IllegalArgumentException("release " + id + " is not loaded on this node; loaded: " + loadedIds());
    }
    ReleaseId previous;
    synchronized (hostStarts) {
      previous = current.put(id.name(), id);
    }
    log.info("release {} is current (was {})", id, previous == null ? "none" : previous);
    LoadedRelease release = loaded.get(id);
    currentListeners.forEach(listener -> listener.accept(release));
  }

  /** Calls {@code listener} with every release made current from now on, and with those current now. */
  public synchronized void onCurrent(java.util.function.Consumer<LoadedRelease> listener) {
    currentListeners.add(listener);
    current.values().stream().sorted().map(loaded::get).filter(java.util.Objects::nonNull).forEach(listener);
  }

  /**
   * Runs {@code spawnAndList} (a supervisor spawning a host and listing it in its tree) while no
   * release becomes current. A host picks its code when it first runs, which can be before its
   * supervisor has listed it: without this, a host spawned just before a make-current could start
   * on the old code yet be listed only after the install took its list of hosts, and stay on the
   * old release after the upgrade. With it, a host is either listed before the make-current (so
   * the install suspends and changes it) or spawned after it (so it starts on the new code).
   */
  public <T> T spawnListed(Supplier<T> spawnAndList) {
    synchronized (hostStarts) {
      return spawnAndList.get();
    }
  }

  public Optional<LoadedRelease> current(String application) {
    ReleaseId id = current.get(application);
    return id == null ? Optional.empty() : find(id);
  }

  /** The code a host of {@code behaviour} starts on: the current release that provides it. */
  public LoadedBehaviour currentBehaviour(String behaviour) {
    for (ReleaseId id : current.values().stream().sorted().toList()) {
      LoadedRelease release = loaded.get(id);
      if (release != null) {
        Optional<LoadedBehaviour> found = release.behaviour(behaviour);
        if (found.isPresent()) {
          return found.get();
        }
      }
    }
    throw new IllegalStateException("no current release provides behaviour '" + behaviour + "' (current: "
        + current.values() + ", loaded: " + loadedIds() + ")");
  }

  public Optional<LoadedRelease> find(ReleaseId id) {
    return Optional.ofNullable(loaded.get(id));
  }

  public List<LoadedRelease> loaded() {
    return loaded.values().stream().sorted(Comparator.comparing(LoadedRelease::id)).toList();
  }

  /**
   * Every loaded version of a behaviour, for migration paths. When two releases carry the same
   * version, the newer release comes first and wins: a fix shipped as 2.0.1 runs instead of 2.0.0.
   */
  public List<LoadedBehaviour> versionsOf(String behaviour) {
    return loaded.values().stream()
        .flatMap(r -> r.behaviour(behaviour).stream())
        .sorted(Comparator.comparingInt(LoadedBehaviour::version)
            .thenComparing((LoadedBehaviour b) -> b.release().id(), Comparator.reverseOrder()))
        .toList();
  }

  /** The steps from one loaded version of a behaviour to another, through the loaded versions. */
  public List<MigrationPath.Hop> migrationPath(LoadedBehaviour from, LoadedBehaviour to) throws MigrationPath.NoPathException {
    return paths.find(from, to, () -> versionsOf(from.name()), r -> loaded.get(r.id()) == r);
  }

  /**
   * Purges a release's code (OTP's soft purge): refused while it is current or any actor runs on
   * it. Afterwards nothing of Molt's references its class loader, so the GC can collect it. The
   * release stays in the store.
   */
  public synchronized void purge(ReleaseId id) {
    LoadedRelease release = loaded.get(id);
    if (release == null) {
      throw new IllegalArgumentException("release " + id + " is not loaded");
    }
    if (id.equals(current.get(id.name()))) {
      throw new IllegalStateException("release " + id + " is current; make another release current first");
    }
    if (!release.closeIfUnused()) {
      throw new IllegalStateException("release " + id + " is still used by " + release.users()
          + " actor(s) or application request(s) in flight");
    }
    loaded.remove(id);
    loadedChanged();
    log.info("release {} purged: its code is no longer referenced by the node", id);
  }

  /**
   * The newest message schema version any loaded release writes (at least 1). An envelope of a
   * newer schema was written by code this node has never seen: it is refused, not misread.
   */
  public int newestMessageSchema() {
    return newestMessageSchema;
  }

  private void loadedChanged() {
    paths.forget();
    newestMessageSchema = Math.max(1, loaded.values().stream().flatMap(r -> r.behaviours().stream())
        .mapToInt(LoadedBehaviour::messageSchemaVersion).max().orElse(1));
  }

  public MoltSettings settings() {
    return settings;
  }

  public ReleaseStore store() {
    return store;
  }

  public NodeCounters counters() {
    return counters;
  }

  /** Where release code that must not wedge the node runs (migrations, rehearsals, hooks). */
  public ReleaseThreads threads() {
    return threads;
  }

  private List<ReleaseId> loadedIds() {
    return loaded.keySet().stream().sorted().toList();
  }

  private static String describe(LoadedRelease release) {
    return release.behaviours().stream().map(b -> b.name() + " v" + b.version()).toList().toString();
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }
}
