package dev.molt.node.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.molt.protocol.release.InvalidDescriptorException;
import dev.molt.protocol.release.ReleaseDescriptor;
import dev.molt.protocol.release.ReleaseDescriptors;
import dev.molt.protocol.release.ReleaseId;
import dev.molt.protocol.release.ReleaseVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.molt.protocol.signing.BundleDigest;
import dev.molt.protocol.signing.BundleSignature;
import dev.molt.protocol.signing.BundleSignatureException;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a bundle into a folder, hashing it, and unpacks it there after checking every entry. It
 * trusts nothing in the archive: names are checked for escapes, sizes are counted while copying
 * (headers can lie), and the descriptor is validated.
 */
final class BundleUnpacker {

  static final String BUNDLE_COPY = "bundle" + ReleaseDescriptor.BUNDLE_EXTENSION;
  private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");
  private static final int BUFFER = 64 * 1024;
  /** A signature entry is a few hundred bytes; a larger one is not read into memory. */
  private static final int MAX_SIGNATURE_BYTES = 16 * 1024;
  /** How a bundle Molt named is called until its descriptor is read. */
  private static final String UPLOADED = "(an upload)";
  private static final ObjectMapper LENIENT = new ObjectMapper();
  private static final Logger log = LoggerFactory.getLogger(BundleUnpacker.class);

  private final MoltSettings.BundleLimits limits;
  private final BundleTrust trust;

  BundleUnpacker(MoltSettings.BundleLimits limits, BundleTrust trust) {
    this.limits = limits;
    this.trust = trust;
  }

  /** Unpacks {@code bundle} into the empty folder {@code into}; the caller deletes it on failure. */
  UnpackedBundle unpack(Path bundle, Path into) throws InvalidBundleException {
    Arrival arrival = Arrival.of(bundle);
    boolean namedByMolt = arrival == Arrival.NAMED_BY_MOLT;
    String source = namedByMolt ? UPLOADED : bundle.getFileName().toString();
    if (!Files.isRegularFile(bundle)) {
      throw new InvalidBundleException(source, "no such file: " + bundle);
    }
    Path copy = into.resolve(BUNDLE_COPY);
    String sha256 = copyHashing(source, bundle, copy);
    long size = sizeOf(copy);
    if (namedByMolt) {
      source = "(an upload of " + size + " bytes)";
    }
    Path content = into.resolve("content");
    BundleDigest digest = new BundleDigest();
    try (ZipFile zip = openZip(source, copy)) {
      if (arrival != Arrival.GIVEN_AS_A_FILE) {
        source = releaseNamed(zip).orElse(source);
      }
      extract(source, zip, content, digest);
    } catch (IOException e) {
      throw new InvalidBundleException(source, "cannot read the archive: " + e.getMessage(), e);
    }
    // Before the descriptor is even parsed: nothing of an untrusted bundle is used.
    String signer = checkSignature(source, content, digest);
    ReleaseDescriptor descriptor = readDescriptor(source, content);
    List<Path> jars = jarsOf(source, content);
    return new UnpackedBundle(source, descriptor, sha256, size, into, jars, signer);
  }

  private String checkSignature(String source, Path content, BundleDigest digest) throws InvalidBundleException {
    Path entry = content.resolve(BundleSignature.ENTRY);
    try {
      if (Files.isRegularFile(entry) && Files.size(entry) > MAX_SIGNATURE_BYTES) {
        throw new InvalidBundleException(source, "malformed " + BundleSignature.ENTRY + ": " + Files.size(entry)
            + " bytes, more than a signature's " + MAX_SIGNATURE_BYTES);
      }
      byte[] signature = Files.isRegularFile(entry) ? Files.readAllBytes(entry) : null;
      return trust.check(signature, digest.digest());
    } catch (BundleSignatureException e) {
      throw new InvalidBundleException(source, e.getMessage(), e);
    } catch (IOException e) {
      throw new InvalidBundleException(source, "cannot read " + BundleSignature.ENTRY + ": " + e.getMessage(), e);
    }
  }

  /**
   * How a bundle came: as a file someone named (its name is theirs, and errors use it), or over
   * HTTP or from another node, written under the store's {@code uploads/} or {@code incoming/}.
   * Such a file's name, {@code upload-12799526093740386941.molt}, means nothing to the user:
   * errors name the release its descriptor declares, else the name the client gave the upload (the
   * file in a folder of its own under {@code uploads/}), else its size.
   */
  private enum Arrival {
    GIVEN_AS_A_FILE,
    NAMED_BY_MOLT,
    NAMED_BY_THE_CLIENT;

    static Arrival of(Path bundle) {
      Path folder = bundle.toAbsolutePath().getParent();
      if (isStoreInbox(folder)) {
        return NAMED_BY_MOLT;
      }
      return folder != null && isStoreInbox(folder.getParent()) ? NAMED_BY_THE_CLIENT : GIVEN_AS_A_FILE;
    }

    private static boolean isStoreInbox(Path folder) {
      String name = folder == null || folder.getFileName() == null ? "" : folder.getFileName().toString();
      return name.equals(ReleaseStore.UPLOADS) || name.equals(ReleaseStore.INCOMING);
    }
  }

  /**
   * The name-version the archive's descriptor declares, read leniently (a descriptor with other
   * faults still names its release) and bounded as any entry; empty when it cannot be read.
   */
  private Optional<String> releaseNamed(ZipFile zip) {
    ZipEntry entry = zip.getEntry(ReleaseDescriptor.FILE_NAME);
    if (entry == null || entry.isDirectory()) {
      return Optional.empty();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (InputStream in = zip.getInputStream(entry)) {
      copyBounded(in, bytes, limits.maxEntryBytes(), () -> new InvalidBundleException(UPLOADED, "descriptor too large"));
      JsonNode descriptor = LENIENT.readTree(bytes.toByteArray());
      String name = descriptor == null ? null : descriptor.path("name").asText(null);
      String version = descriptor == null ? null : descriptor.path("version").asText(null);
      if (ReleaseDescriptors.isValidName(name) && ReleaseVersion.isValid(version)) {
        return Optional.of(new ReleaseId(name, version).toString());
      }
    } catch (IOException | InvalidBundleException | RuntimeException e) {
      // Not readable: the caller keeps the upload's own description, and extracting says why.
      log.debug("no release name in the descriptor of an upload: {}", e.toString());
    }
    return Optional.empty();
  }

  private String copyHashing(String source, Path bundle, Path copy) throws InvalidBundleException {
    MessageDigest sha = sha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(bundle), sha);
        OutputStream out = Files.newOutputStream(copy)) {
      copyBounded(in, out, limits.maxBundleBytes(), () -> new InvalidBundleException(source,
          "the bundle is larger than the limit of " + limits.maxBundleBytes() + " bytes (molt.bundle.max-bundle-bytes)"));
    } catch (IOException e) {
      throw new InvalidBundleException(source, "cannot read the file: " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static ZipFile openZip(String source, Path copy) throws InvalidBundleException {
    try {
      return new ZipFile(copy.toFile());
    } catch (ZipException e) {
      throw new InvalidBundleException(source, "not a valid zip archive (truncated or corrupt): " + e.getMessage(), e);
    } catch (IOException e) {
      throw new InvalidBundleException(source, "cannot open the archive: " + e.getMessage(), e);
    }
  }

  /** Unpacks every entry, adding each to {@code digest} by the bytes it unpacked to. */
  private void extract(String source, ZipFile zip, Path content, BundleDigest digest)
      throws IOException, InvalidBundleException {
    Files.createDirectories(content);
    int count = 0;
    long total = 0;
    // Target path -> the entry name that claimed it.
    Map<Path, String> claimed = new HashMap<>();
    Enumeration<? extends ZipEntry> entries = zip.entries();
    while (entries.hasMoreElements()) {
      ZipEntry entry = entries.nextElement();
      if (++count > limits.maxEntries()) {
        throw new InvalidBundleException(source,
            "more than " + limits.maxEntries() + " entries (molt.bundle.max-entries)");
      }
      Path target = safeTarget(source, content, entry.getName());
      refuseDuplicate(source, claimed, target, entry.getName());
      MessageDigest entrySha = sha256();
      if (entry.isDirectory()) {
        Files.createDirectories(target);
        digest.add(entry.getName(), entrySha.digest());
        continue;
      }
      Files.createDirectories(target.getParent());
      long remaining = limits.maxUnpackedBytes() - total;
      long bound = Math.min(limits.maxEntryBytes(), remaining);
      String name = entry.getName();
      try (InputStream in = zip.getInputStream(entry);
          OutputStream out = new DigestOutputStream(Files.newOutputStream(target), entrySha)) {
        total += copyBounded(in, out, bound, () -> new InvalidBundleException(source,
            bound == remaining && remaining < limits.maxEntryBytes()
                ? "unpacks to more than " + limits.maxUnpackedBytes() + " bytes (molt.bundle.max-unpacked-bytes)"
                : "entry '" + name + "' is larger than the entry limit of " + limits.maxEntryBytes()
                    + " bytes (molt.bundle.max-entry-bytes)"));
      } catch (ZipException | java.io.EOFException e) {
        throw new InvalidBundleException(source, "entry '" + name + "' is corrupt: " + e.getMessage(), e);
      }
      digest.add(name, entrySha.digest());
    }
  }

  /**
   * Refuses a second entry for the same file: zip tools disagree on which of two duplicates is
   * "the" entry ({@code unzip -p} shows the first, extracting in order keeps the last), so what
   * was reviewed might not be what runs.
   */
  private static void refuseDuplicate(String source, Map<Path, String> claimed, Path target, String name)
      throws InvalidBundleException {
    String first = claimed.putIfAbsent(target, name);
    if (first == null) {
      return;
    }
    throw new InvalidBundleException(source, first.equals(name)
        ? "entry '" + name + "' appears more than once in the archive; each entry must appear once"
        : "entries '" + first + "' and '" + name + "' name the same file; each entry must appear once");
  }

  /** Where an entry goes, refusing any name that could land outside {@code content}. */
  private static Path safeTarget(String source, Path content, String name) throws InvalidBundleException {
    if (name.isEmpty()) {
      throw new InvalidBundleException(source, "an entry has an empty name");
    }
    if (name.startsWith("/") || name.startsWith("\\") || DRIVE.matcher(name).matches()) {
      throw new InvalidBundleException(source, "entry '" + name + "' has an absolute path");
    }
    if (name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
      throw new InvalidBundleException(source, "entry '" + name + "' has a backslash or NUL in its name");
    }
    for (String segment : name.split("/")) {
      if (segment.equals("..")) {
        throw new InvalidBundleException(source, "entry '" + name + "' escapes the bundle with '..'");
      }
    }
    Path target = content.resolve(name).normalize();
    if (!target.startsWith(content)) {
      throw new InvalidBundleException(source, "entry '" + name + "' escapes the bundle");
    }
    return target;
  }

  private static ReleaseDescriptor readDescriptor(String source, Path content) throws InvalidBundleException {
    Path file = content.resolve(ReleaseDescriptor.FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new InvalidBundleException(source, "no " + ReleaseDescriptor.FILE_NAME + " at the root of the bundle");
    }
    try {
      return ReleaseDescriptors.parse(Files.readAllBytes(file));
    } catch (InvalidDescriptorException e) {
      throw new InvalidBundleException(source, "malformed " + ReleaseDescriptor.FILE_NAME + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new InvalidBundleException(source, "cannot read " + ReleaseDescriptor.FILE_NAME + ": " + e.getMessage(), e);
    }
  }

  private static List<Path> jarsOf(String source, Path content) throws InvalidBundleException {
    Path lib = content.resolve(ReleaseDescriptor.LIB_FOLDER);
    List<Path> jars = new ArrayList<>();
    if (Files.isDirectory(lib)) {
      try (Stream<Path> files = Files.list(lib)) {
        files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(jars::add);
      } catch (IOException e) {
        throw new InvalidBundleException(source, "cannot list " + ReleaseDescriptor.LIB_FOLDER + ": " + e.getMessage(), e);
      }
    }
    if (jars.isEmpty()) {
      throw new InvalidBundleException(source, "no jars under " + ReleaseDescriptor.LIB_FOLDER);
    }
    return List.copyOf(jars);
  }

  private interface Overflow {
    InvalidBundleException get();
  }

  private static long copyBounded(InputStream in, OutputStream out, long bound, Overflow overflow)
      throws IOException, InvalidBundleException {
    byte[] buffer = new byte[BUFFER];
    long copied = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      copied += n;
      if (copied > bound) {
        throw overflow.get();
      }
      out.write(buffer, 0, n);
    }
    return copied;
  }

  private static long sizeOf(Path file) throws InvalidBundleException {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new InvalidBundleException(file.getFileName().toString(), e.getMessage(), e);
    }
  }
}
