package dev.molt.node.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Bundles written byte by byte for tests: relabelled copies of the counter, and archives no zip tool would make. */
public final class RawBundles {
  private RawBundles() {}

  /** The entries of a counter test bundle, in archive order, without its signature. */
  public static List<Map.Entry<String, byte[]>> counterEntries(String version) throws IOException {
    return entriesOf(TestBundles.counter(version));
  }

  /** A bundle's entries, in archive order, without its signature. */
  public static List<Map.Entry<String, byte[]>> entriesOf(Path bundle) throws IOException {
    List<Map.Entry<String, byte[]>> entries = new ArrayList<>();
    try (ZipFile zip = new ZipFile(bundle.toFile())) {
      Enumeration<? extends ZipEntry> all = zip.entries();
      while (all.hasMoreElements()) {
        ZipEntry entry = all.nextElement();
        if (entry.getName().equals(dev.molt.protocol.signing.BundleSignature.ENTRY)) {
          continue;
        }
        try (InputStream in = zip.getInputStream(entry)) {
          entries.add(Map.entry(entry.getName(), in.readAllBytes()));
        }
      }
    }
    return entries;
  }

  /** The counter bundle of {@code version} with its descriptor naming another name and version. */
  public static Path relabelled(Path dir, String version, String name, String newVersion) throws IOException {
    List<Map.Entry<String, byte[]>> entries = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : counterEntries(version)) {
      entries.add(e.getKey().equals("molt-release.json") ? Map.entry(e.getKey(), descriptor(e.getValue(), name, newVersion)) : e);
    }
    return zip(dir.resolve(name + "-" + newVersion + ".molt"), entries);
  }

  /** A descriptor's bytes with {@code name} and {@code version} replaced. */
  public static byte[] descriptor(byte[] original, String name, String version) {
    String text = new String(original, StandardCharsets.UTF_8)
        .replaceFirst("\"name\":\\s*\"counter\"", "\"name\": \"" + name + "\"")
        .replaceFirst("\"version\":\\s*\"[0-9.]+\"", "\"version\": \"" + version + "\"");
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Writes the entries in order, duplicates included. {@link ZipOutputStream} refuses a name twice,
   * so a second copy is written under a placeholder of the same length and the placeholder's bytes
   * are then patched back (local header and central directory) to the real name. Signed with the
   * development key unless a name repeats (the node refuses a repeated name before it looks at the
   * signature).
   */
  public static Path zip(Path file, List<Map.Entry<String, byte[]>> entries) throws IOException {
    return zip(file, entries, true);
  }

  /** The entries as they are, with no signature added. */
  public static Path zipUnsigned(Path file, List<Map.Entry<String, byte[]>> entries) throws IOException {
    return zip(file, entries, false);
  }

  private static Path zip(Path file, List<Map.Entry<String, byte[]>> entries, boolean sign) throws IOException {
    Set<String> seen = new HashSet<>();
    List<String[]> patches = new ArrayList<>();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> entry : entries) {
        String name = entry.getKey();
        if (!seen.add(name)) {
          String placeholder = name.substring(0, name.length() - 1) + '\u007f';
          if (!seen.add(placeholder)) {
            throw new IllegalArgumentException("only two copies of '" + name + "' can be written");
          }
          patches.add(new String[] {placeholder, name});
          name = placeholder;
        }
        zip.putNextEntry(new ZipEntry(name));
        zip.write(entry.getValue());
        zip.closeEntry();
      }
      if (sign && patches.isEmpty()) {
        zip.putNextEntry(new ZipEntry(dev.molt.protocol.signing.BundleSignature.ENTRY));
        zip.write(DevKey.signatureOf(entries));
        zip.closeEntry();
      }
    }
    byte[] archive = bytes.toByteArray();
    for (String[] patch : patches) {
      replaceAll(archive, patch[0].getBytes(StandardCharsets.UTF_8), patch[1].getBytes(StandardCharsets.UTF_8));
    }
    Files.write(file, archive);
    return file;
  }

  private static void replaceAll(byte[] data, byte[] from, byte[] to) {
    int replaced = 0;
    for (int i = 0; i + from.length <= data.length; i++) {
      if (java.util.Arrays.equals(data, i, i + from.length, from, 0, from.length)) {
        System.arraycopy(to, 0, data, i, to.length);
        replaced++;
      }
    }
    if (replaced != 2) {
      throw new IllegalStateException("expected the placeholder in the local header and the central directory, found "
          + replaced);
    }
  }
}
