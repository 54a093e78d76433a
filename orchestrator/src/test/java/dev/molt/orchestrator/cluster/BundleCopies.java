package dev.molt.orchestrator.cluster;

import dev.molt.protocol.signing.BundleSignature;
import dev.molt.protocol.signing.DevSigning;
import dev.molt.protocol.signing.SignedBundle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Collections;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Altered copies of a signed test bundle, as an attacker or a careless build would make them. */
final class BundleCopies {
  private BundleCopies() {}

  /** The build's development key, which signed the test bundles and which the test nodes trust. */
  static KeyPair devKey() throws IOException {
    return DevSigning.keyIn(Path.of(System.getenv("MOLT_TRUSTED_KEYS").split(",")[0].strip()).getParent());
  }

  static Path unsigned(Path bundle, Path out) throws IOException {
    return copy(bundle, out, false, false);
  }

  /** The bundle with one more entry and its signature as it was: its contents no longer match. */
  static Path withExtraEntry(Path bundle, Path out) throws IOException {
    return copy(bundle, out, true, true);
  }

  static Path signedBy(Path bundle, KeyPair key, Path out) throws IOException {
    try {
      SignedBundle.sign(bundle, key, out);
      return out;
    } catch (dev.molt.protocol.signing.BundleSignatureException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static Path copy(Path bundle, Path out, boolean keepSignature, boolean extraEntry) throws IOException {
    Files.createDirectories(out.toAbsolutePath().getParent());
    try (ZipFile zip = new ZipFile(bundle.toFile()); ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(out))) {
      for (ZipEntry entry : Collections.list(zip.entries())) {
        if (!keepSignature && entry.getName().equals(BundleSignature.ENTRY)) {
          continue;
        }
        z.putNextEntry(new ZipEntry(entry.getName()));
        try (InputStream in = zip.getInputStream(entry)) {
          in.transferTo(z);
        }
        z.closeEntry();
      }
      if (extraEntry) {
        z.putNextEntry(new ZipEntry("NOTES.txt"));
        z.write("rebuilt".getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
      }
    }
    return out;
  }
}
