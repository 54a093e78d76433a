package dev.molt.protocol.signing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical digest a bundle's signature covers: every entry but {@value BundleSignature#ENTRY},
 * by name and content, in a fixed order, so it does not depend on the archive's entry order,
 * times or compression. SHA-256 over, for each entry in the unsigned byte order of its UTF-8 name:
 * the name's UTF-8 bytes, one 0 byte, and the 32-byte SHA-256 of the entry's content (a directory
 * entry, its name ending in {@code /}, has empty content). A name given twice is refused (a node
 * refuses such a bundle anyway).
 */
public final class BundleDigest {
  private final Map<byte[], byte[]> entries = new TreeMap<>(Arrays::compareUnsigned);

  /** Adds an entry by its name and the SHA-256 of its content; the signature entry is left out. */
  public void add(String name, byte[] contentSha256) {
    if (BundleSignature.ENTRY.equals(name)) {
      return;
    }
    if (contentSha256.length != 32) {
      throw new IllegalArgumentException("entry '" + name + "': a SHA-256 has 32 bytes, got " + contentSha256.length);
    }
    if (entries.putIfAbsent(name.getBytes(StandardCharsets.UTF_8), contentSha256.clone()) != null) {
      throw new IllegalArgumentException("entry '" + name + "' appears more than once in the archive");
    }
  }

  public byte[] digest() {
    MessageDigest sha = sha256();
    entries.forEach((name, content) -> {
      sha.update(name);
      sha.update((byte) 0);
      sha.update(content);
    });
    return sha.digest();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
