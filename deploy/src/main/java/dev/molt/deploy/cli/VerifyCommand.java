package dev.molt.deploy.cli;

import dev.molt.protocol.signing.BundleSignatureException;
import dev.molt.protocol.signing.SignedBundle;
import dev.molt.protocol.signing.SigningKeys;
import dev.molt.protocol.signing.TrustedKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code moltctl verify BUNDLE --trusted KEY}: the node's own signature check, before an upload; local. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Check a bundle's signature as a node would: exit 0 when one of the --trusted keys signed exactly "
        + "its contents, else 1 with the node's reason (unsigned, unknown key, contents changed).")
final class VerifyCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "BUNDLE", description = "the .molt file")
  Path bundle;

  @Option(names = "--trusted", required = true, paramLabel = "KEY",
      description = "a trusted public key: a .pub file or its base64 (as in molt.bundle.trusted-keys); repeatable")
  List<String> trusted;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(bundle)) {
      throw new CliFailure("no bundle at " + bundle);
    }
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
      spec.commandLine().getOut().println(bundle + ": signed by trusted key " + keyId);
      return Exit.OK.code;
    } catch (BundleSignatureException e) {
      throw new CliFailure(bundle + ": " + e.getMessage());
    } catch (IOException e) {
      throw new CliFailure("cannot read " + bundle + ": " + e.getMessage());
    }
  }
}
