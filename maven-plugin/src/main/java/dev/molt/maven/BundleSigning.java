package dev.molt.maven;

import dev.molt.protocol.signing.BundleSignature;
import dev.molt.protocol.signing.BundleSignatureException;
import dev.molt.protocol.signing.SignedBundle;
import dev.molt.protocol.signing.SigningKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * Signs a written bundle with the key file the build names, with the node's own implementation
 * (protocol's {@link SignedBundle}). With {@code generate}, a missing key is made first: a build's
 * development key under {@code target/}, never a release key.
 */
final class BundleSigning {
  private BundleSigning() {}

  /** Signs {@code bundle} in place; returns the line the build logs. */
  static String sign(Path bundle, Path key, boolean generate) throws MojoExecutionException {
    try {
      String made = "";
      if (generate && !Files.exists(key)) {
        if (!key.getFileName().toString().equals(SigningKeys.PRIVATE_KEY_FILE)) {
          throw new MojoExecutionException("generateSigningKey makes " + SigningKeys.PRIVATE_KEY_FILE
              + "; signingKey names " + key);
        }
        SigningKeys.writeNew(key.toAbsolutePath().getParent());
        made = ", made now (generateSigningKey; its public key: " + key.resolveSibling(SigningKeys.PUBLIC_KEY_FILE) + ")";
      }
      if (!Files.isRegularFile(key)) {
        throw new MojoExecutionException("no signing key at " + key + " (signingKey / molt.signingKey); make one with "
            + "moltctl keygen --out DIR");
      }
      KeyPair pair = SigningKeys.readPrivate(key);
      BundleSignature signature = SignedBundle.sign(bundle, pair, bundle);
      return "signed with key " + signature.keyId() + " (" + key + made + ")";
    } catch (IOException | BundleSignatureException e) {
      throw new MojoExecutionException("cannot sign " + bundle + " with " + key + ": " + e.getMessage(), e);
    }
  }
}
