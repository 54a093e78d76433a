package dev.molt.deploy.cli;

import dev.molt.protocol.signing.BundleSignature;
import dev.molt.protocol.signing.BundleSignatureException;
import dev.molt.protocol.signing.SignedBundle;
import dev.molt.protocol.signing.SigningKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code moltctl sign BUNDLE --key FILE}: adds (or replaces) the bundle's signature; local. */
@Command(name = "sign", mixinStandardHelpOptions = true,
    description = "Sign a release bundle (.molt) with an Ed25519 private key (moltctl keygen): its molt-signature.json "
        + "entry, over every other entry, replaced if it had one. In place unless --out is given.")
final class SignCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "BUNDLE", description = "the .molt file")
  Path bundle;

  @Option(names = "--key", required = true, paramLabel = "FILE", description = "the private key (molt-signing.key)")
  Path key;

  @Option(names = "--out", paramLabel = "FILE", description = "write the signed bundle here instead of over BUNDLE")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(bundle)) {
      throw new CliFailure("no bundle at " + bundle);
    }
    Path target = out == null ? bundle : out;
    try {
      KeyPair pair = SigningKeys.readPrivate(key);
      BundleSignature signature = SignedBundle.sign(bundle, pair, target);
      spec.commandLine().getOut().println("signed " + target + " with key " + signature.keyId() + " (digest "
          + signature.digest() + ")");
    } catch (IOException | BundleSignatureException e) {
      throw new CliFailure("cannot sign " + bundle + ": " + e.getMessage());
    }
    return Exit.OK.code;
  }
}
