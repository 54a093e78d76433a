package dev.molt.node.release;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.molt.protocol.release.ReleaseDescriptor;
import dev.molt.protocol.release.ReleaseId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's release store on disk, OTP's {@code releases/} folder.
 *
 * <pre>
 * root/staging/&lt;random&gt;/           a bundle being checked; wiped at open
 * root/uploads/upload-*.molt       a bundle arriving over HTTP; leftovers removed at open
 * root/incoming/*.molt             a bundle arriving from another node; leftovers removed at open
 * root/RELEASES.json               which release is permanent, current, old (the node agent's)
 * root/releases/&lt;name&gt;-&lt;version&gt;/
 *     bundle.molt                  the bundle as received
 *     content/molt-release.json    its descriptor
 *     content/lib/*.jar            its code
 *     release.json                 written last: the release is committed
 * </pre>
 *
 * A release folder without {@code release.json} is an install that did not finish; it is deleted
 * when the store opens, so a crash never leaves a half-checked release behind. The descriptor
 * inside a folder says which release it holds; the folder's name is never split.
 */
public final class ReleaseStore {
  private static final Logger log = LoggerFactory.getLogger(ReleaseStore.class);
  private static final String COMMIT_MARKER = "release.json";
  /** Where HTTP uploads and node-to-node transfers write a bundle while it arrives. */
  public static final String UPLOADS = "uploads";
  public static final String INCOMING = "incoming";
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private final Path root;
  private final Path staging;
  private final Path releases;
  private final BundleUnpacker unpacker;
  /** Committed releases: read from disk once at open, then kept in step by commit and remove. */
  private final java.util.concurrent.ConcurrentSkipListMap<ReleaseId, StoredRelease> committed =
      new java.util.concurrent.ConcurrentSkipListMap<>();

  private ReleaseStore(Path root, MoltSettings.BundleLimits limits, BundleTrust trust) {
    this.root = root;
    this.staging = root.resolve("staging");
    this.releases = root.resolve("releases");
    this.unpacker = new BundleUnpacker(limits, trust);
  }

  public static ReleaseStore open(Path root, MoltSettings.BundleLimits limits, BundleTrust trust) {
    ReleaseStore store = new ReleaseStore(root, limits, trust);
    try {
      Files.createDirectories(store.releases);
      // Opened once per node, before its HTTP routes and cluster agent take bundles in.
      removeLeftovers(root, UPLOADS, "an upload cut short by a restart");
      removeLeftovers(root, INCOMING, "a transfer from another node cut short by a restart");
      deleteTree(store.staging);
      Files.createDirectories(store.staging);
      try (Stream<Path> dirs = Files.list(store.releases)) {
        for (Path dir : dirs.toList()) {
          if (!Files.isRegularFile(dir.resolve(COMMIT_MARKER))) {
            log.warn("release store {}: removing {} (an install that did not finish)", root, dir.getFileName());
            deleteTree(dir);
          } else {
            store.read(dir).ifPresent(r -> store.committed.put(r.id(), r));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open release store " + root, e);
    }
    return store;
  }

  public Path root() {
    return root;
  }

  /** Deletes the files a restart left in {@code root/folder}, one WARN each: they can never complete now. */
  private static void removeLeftovers(Path root, String folder, String why) throws IOException {
    Path dir = root.resolve(folder);
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> leftovers;
    try (Stream<Path> files = Files.list(dir)) {
      leftovers = files.sorted().toList();
    }
    for (Path file : leftovers) {
      long size = Files.isRegularFile(file) ? Files.size(file) : -1;
      deleteTree(file);
      log.warn("release store {}: removed {}/{} ({} bytes; {})", root, folder, file.getFileName(), size, why);
    }
  }

  /**
   * Checks and unpacks a bundle into a fresh staging folder, its signature included (before any of
   * its code is loaded); on failure nothing is left.
   */
  UnpackedBundle stage(Path bundle) throws InvalidBundleException {
    Path dir = staging.resolve(UUID.randomUUID().toString());
    try {
      Files.createDirectories(dir);
      return unpacker.unpack(bundle, dir);
    } catch (IOException e) {
      deleteQuietly(dir);
      throw new InvalidBundleException(bundle.getFileName().toString(), "cannot stage: " + e.getMessage(), e);
    } catch (InvalidBundleException | RuntimeException e) {
      deleteQuietly(dir);
      throw e;
    }
  }

  /** Moves a staged bundle to its release folder. It is not committed yet. */
  StoredRelease place(UnpackedBundle staged) throws InvalidBundleException {
    Path target = dirOf(staged.descriptor().id());
    try {
      try {
        Files.move(staged.dir(), target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(staged.dir(), target);
      }
    } catch (IOException e) {
      deleteQuietly(staged.dir());
      throw new InvalidBundleException(staged.source(), "cannot move into the store: " + e.getMessage(), e);
    }
    return stored(staged.descriptor(), staged.sha256(), staged.sizeBytes(), target);
  }

  /** Marks a placed release as complete. */
  void commit(StoredRelease release) {
    try {
      var marker = new CommitMarker(release.id().name(), release.id().version(), release.sha256(),
          release.sizeBytes(), Instant.now().toString());
      Path tmp = release.dir().resolve(COMMIT_MARKER + ".tmp");
      MAPPER.writeValue(tmp.toFile(), marker);
      Files.move(tmp, release.dir().resolve(COMMIT_MARKER), StandardCopyOption.ATOMIC_MOVE);
      committed.put(release.id(), release);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot commit " + release.id() + " in " + root, e);
    }
  }

  /** A committed release, if the store has it. */
  public Optional<StoredRelease> find(ReleaseId id) {
    return Optional.ofNullable(committed.get(id));
  }

  /** Every committed release, oldest version first. */
  public List<StoredRelease> list() {
    return List.copyOf(committed.values());
  }

  /** Deletes a committed release from the store. */
  public void remove(ReleaseId id) {
    committed.remove(id);
    deleteQuietly(dirOf(id));
  }

  /** A committed release folder as the store knows it; the descriptor inside says which release it is. */
  private Optional<StoredRelease> read(Path dir) {
    try {
      CommitMarker m = MAPPER.readValue(dir.resolve(COMMIT_MARKER).toFile(), CommitMarker.class);
      var descriptor = dev.molt.protocol.release.ReleaseDescriptors.parse(
          Files.readAllBytes(dir.resolve("content").resolve(ReleaseDescriptor.FILE_NAME)));
      if (!dir.equals(dirOf(descriptor.id()))) {
        log.warn("release store {}: folder {} holds {}; ignored", root, dir.getFileName(), descriptor.id());
        return Optional.empty();
      }
      return Optional.of(stored(descriptor, m.sha256(), m.sizeBytes(), dir));
    } catch (IOException | dev.molt.protocol.release.InvalidDescriptorException e) {
      log.warn("release store {}: {} is unreadable ({}); ignored", root, dir.getFileName(), e.getMessage());
      return Optional.empty();
    }
  }

  /** Deletes a release folder, committed or not. */
  void delete(Path releaseDir) {
    deleteQuietly(releaseDir);
  }

  Path dirOf(ReleaseId id) {
    return releases.resolve(id.toString());
  }

  private static StoredRelease stored(ReleaseDescriptor d, String sha256, long size, Path dir) {
    Path lib = dir.resolve("content").resolve(ReleaseDescriptor.LIB_FOLDER);
    List<Path> jars;
    try (Stream<Path> files = Files.list(lib)) {
      jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + lib, e);
    }
    return new StoredRelease(d, sha256, size, dir, jars);
  }

  private static void deleteQuietly(Path dir) {
    try {
      deleteTree(dir);
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", dir, e.toString());
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private record CommitMarker(String name, String version, String sha256, long sizeBytes, String storedAt) {}
}
