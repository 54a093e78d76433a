package dev.molt.deploy.cli;

import dev.molt.protocol.signing.BundleSignatureException;
import dev.molt.protocol.signing.SignedBundle;
import dev.molt.protocol.signing.SigningKeys;
import dev.molt.protocol.signing.TrustedKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code moltctl verify BUNDLE --trusted KEY}: the node's own signature check, before an upload; local. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Check a bundle's signature as a node would: exit 0 when one of the --trusted keys signed exactly "
        + "its contents, else 1 with the node's reason (unsigned, unknown key, contents changed).")
final class VerifyCommand extends BundleFileCommand {
  @Option(names = "--trusted", required = true, paramLabel = "KEY",
      description = "a trusted public key: a .pub file or its base64 (as in molt.bundle.trusted-keys); repeatable")
  List<String> trusted;

  @Override
  Exit run() {
    List<PublicKey> keys = new ArrayList<>();
    for (String entry : trusted) {
      try {
        keys.add(SigningKeys.parseTrusted(entry));
      } catch (IOException e) {
        throw new CliFailure("--trusted " + e.getMessage());
      }
    }
    try {
      SignedBundle read = SignedBundle.read(bundle);
      String keyId = new TrustedKeys(keys).verify(read.signature(), read.digest());
      stdout().println(bundle + ": signed by trusted key " + keyId);
      return Exit.OK;
    } catch (BundleSignatureException e) {
      throw new CliFailure(bundle + ": " + e.getMessage());
    } catch (IOException e) {
      throw new CliFailure("cannot read " + bundle + ": " + e.getMessage());
    }
  }
}
