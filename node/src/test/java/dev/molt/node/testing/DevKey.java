package dev.molt.node.testing;

import dev.molt.protocol.signing.BundleDigest;
import dev.molt.protocol.signing.BundleSignature;
import dev.molt.protocol.signing.DevSigning;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

/**
 * The build's development key, which the test bundles are signed with and the tests' nodes trust
 * ({@code MOLT_TRUSTED_KEYS}, set by the build to its public key file): hand-made bundles are
 * signed with it too, so the node checks them as it checks any bundle.
 */
public final class DevKey {
  private DevKey() {}

  public static KeyPair pair() {
    String trusted = System.getenv("MOLT_TRUSTED_KEYS");
    if (trusted == null || trusted.isBlank()) {
      throw new IllegalStateException("MOLT_TRUSTED_KEYS is not set: run the tests through Maven, which sets it");
    }
    try {
      return DevSigning.keyIn(Path.of(trusted.split(",")[0].strip()).getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@value BundleSignature#ENTRY} entry's bytes that sign these entries with the development key. */
  public static byte[] signatureOf(List<Map.Entry<String, byte[]>> entries) {
    BundleDigest digest = new BundleDigest();
    for (Map.Entry<String, byte[]> entry : entries) {
      digest.add(entry.getKey(), sha256(entry.getValue()));
    }
    return BundleSignature.sign(digest.digest(), pair()).toJson();
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
