package dev.molt.protocol.signing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A bundle file as its signer or a reviewer sees it: the digest of its entries and its signature,
 * if any. The node computes the same digest while it unpacks (it bounds what it reads); this reads
 * a file its user chose, for {@code moltctl sign} / {@code verify} and the Maven plugin.
 */
public record SignedBundle(byte[] digest, BundleSignature signature) {

  public static SignedBundle read(Path bundle) throws IOException, BundleSignatureException {
    BundleDigest digest = new BundleDigest();
    byte[] signature = null;
    try (ZipFile zip = new ZipFile(bundle.toFile())) {
      for (ZipEntry entry : Collections.list(zip.entries())) {
        MessageDigest sha = BundleDigest.sha256();
        byte[] content;
        try (InputStream in = zip.getInputStream(entry)) {
          content = BundleSignature.ENTRY.equals(entry.getName()) ? in.readAllBytes() : null;
          if (content == null) {
            new DigestInputStream(in, sha).transferTo(OutputStream.nullOutputStream());
          }
        }
        if (content != null) {
          signature = content;
        }
        try {
          digest.add(entry.getName(), sha.digest());
        } catch (IllegalArgumentException e) {
          throw new IOException(bundle + ": " + e.getMessage(), e);
        }
      }
    }
    return new SignedBundle(digest.digest(), signature == null ? null : BundleSignature.parse(signature));
  }

  /**
   * Writes {@code bundle} signed by {@code key} to {@code out} (may be {@code bundle} itself): the
   * same entries in the same order, any earlier signature replaced, the signature entry last with
   * the first entry's time, so signing a reproducible bundle gives a reproducible one.
   */
  public static BundleSignature sign(Path bundle, KeyPair key, Path out) throws IOException, BundleSignatureException {
    BundleSignature signature = BundleSignature.sign(read(bundle).digest(), key);
    Path folder = Files.createDirectories(out.toAbsolutePath().getParent());
    Path tmp = Files.createTempFile(folder, ".signing-", ".molt");
    try {
      try (ZipFile zip = new ZipFile(bundle.toFile());
          ZipOutputStream zout = new ZipOutputStream(Files.newOutputStream(tmp))) {
        long time = -1;
        for (ZipEntry entry : Collections.list(zip.entries())) {
          time = time == -1 ? entry.getTime() : time;
          if (BundleSignature.ENTRY.equals(entry.getName())) {
            continue;
          }
          ZipEntry copy = new ZipEntry(entry.getName());
          copy.setTime(entry.getTime());
          zout.putNextEntry(copy);
          try (InputStream in = zip.getInputStream(entry)) {
            in.transferTo(zout);
          }
          zout.closeEntry();
        }
        ZipEntry entry = new ZipEntry(BundleSignature.ENTRY);
        entry.setTime(time == -1 ? 0 : time);
        zout.putNextEntry(entry);
        zout.write(signature.toJson());
        zout.closeEntry();
      }
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return signature;
  }
}
