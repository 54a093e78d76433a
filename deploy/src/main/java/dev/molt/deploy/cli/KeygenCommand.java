package dev.molt.deploy.cli;

import dev.molt.protocol.signing.SigningKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code moltctl keygen --out DIR}: a new Ed25519 signing key pair; local, no node is asked. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = "Make an Ed25519 key pair for signing bundles: DIR/molt-signing.key (PKCS#8 PEM, mode 0600; keep "
        + "it secret) and DIR/molt-signing.pub (trust it on the nodes: molt.bundle.trusted-keys). Never overwrites a key.")
final class KeygenCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "the folder to write both files to")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    KeyPair pair;
    try {
      pair = SigningKeys.writeNew(out);
    } catch (IOException e) {
      throw new CliFailure(e.getMessage());
    }
    spec.commandLine().getOut().println("wrote " + out.resolve(SigningKeys.PRIVATE_KEY_FILE) + " (secret, mode 0600) and "
        + out.resolve(SigningKeys.PUBLIC_KEY_FILE) + ", key id " + SigningKeys.keyId(pair.getPublic())
        + "; nodes trust it with molt.bundle.trusted-keys = [\"" + SigningKeys.base64(pair.getPublic()) + "\"]");
    return Exit.OK.code;
  }
}
