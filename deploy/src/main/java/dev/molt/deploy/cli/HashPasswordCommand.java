package dev.molt.deploy.cli;

import dev.molt.orchestrator.auth.PasswordHash;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code moltctl hash-password}: the {@code password-hash} of a {@code molt.http.users} entry. The
 * password is read from the console (asked twice, not echoed) or, when stdin is not a terminal, as
 * the first line of stdin — never from the command line, where other users' {@code ps} would see it.
 */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
    description = "Read a password from the console (twice) or the first line of stdin and print its "
        + "pbkdf2-sha256 hash for molt.http.users (password-hash).")
final class HashPasswordCommand implements Callable<Integer> {
  @Option(names = "--iterations", paramLabel = "N", description = "PBKDF2 iterations (default ${DEFAULT-VALUE})")
  int iterations = PasswordHash.DEFAULT_ITERATIONS;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (iterations < 1_000 || iterations > 10_000_000) {
      throw new CliFailure(Exit.USAGE, "--iterations must be 1000..10000000, was " + iterations);
    }
    String password = read();
    if (password.isEmpty()) {
      throw new CliFailure(Exit.USAGE, "the password is empty");
    }
    spec.commandLine().getOut().println(PasswordHash.of(password, iterations).format());
    return Exit.OK.code;
  }

  private static String read() throws IOException {
    Console console = System.console();
    if (console != null) {
      char[] first = console.readPassword("password: ");
      char[] again = console.readPassword("again: ");
      try {
        if (first == null || !Arrays.equals(first, again)) {
          throw new CliFailure(Exit.USAGE, "the two passwords differ");
        }
        return new String(first);
      } finally {
        Arrays.fill(first == null ? new char[0] : first, '\0');
        Arrays.fill(again == null ? new char[0] : again, '\0');
      }
    }
    String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    return line == null ? "" : line;
  }
}
