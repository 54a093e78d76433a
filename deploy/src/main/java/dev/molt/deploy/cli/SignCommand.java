package dev.molt.deploy.cli;

import dev.molt.protocol.signing.BundleSignature;
import dev.molt.protocol.signing.BundleSignatureException;
import dev.molt.protocol.signing.SignedBundle;
import dev.molt.protocol.signing.SigningKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code moltctl sign BUNDLE --key FILE}: adds (or replaces) the bundle's signature; local. */
@Command(name = "sign", mixinStandardHelpOptions = true,
    description = "Sign a release bundle (.molt) with an Ed25519 private key (moltctl keygen): its molt-signature.json "
        + "entry, over every other entry, replaced if it had one. In place unless --out is given.")
final class SignCommand extends BundleFileCommand {
  @Option(names = "--key", required = true, paramLabel = "FILE", description = "the private key (molt-signing.key)")
  Path key;

  @Option(names = "--out", paramLabel = "FILE", description = "write the signed bundle here instead of over BUNDLE")
  Path out;

  @Override
  Exit run() {
    Path target = out == null ? bundle : out;
    try {
      KeyPair pair = SigningKeys.readPrivate(key);
      BundleSignature signature = SignedBundle.sign(bundle, pair, target);
      stdout().println("signed " + target + " with key " + signature.keyId() + " (digest "
          + signature.digest() + ")");
    } catch (IOException | BundleSignatureException e) {
      throw new CliFailure("cannot sign " + bundle + ": " + e.getMessage());
    }
    return Exit.OK;
  }
}
