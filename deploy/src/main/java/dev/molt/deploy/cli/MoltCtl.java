package dev.molt.deploy.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code moltctl}: Molt's management HTTP API for operators and scripts, one subcommand per class.
 * Any failure is one line on stderr ({@code moltctl: ...}, with the HTTP status and the server's
 * error and detail when the server answered) and an exit code from {@link Exit}.
 */
@Command(name = "moltctl", mixinStandardHelpOptions = true, version = "moltctl 0.1.0",
    description = "Molt's management API from the command line: releases, rollouts and their live status, the cluster.",
    subcommands = {ReleasesCommand.class, UploadCommand.class, PlanCommand.class, RolloutCommand.class, StatusCommand.class,
        PromoteCommand.class, PauseCommand.class, ResumeCommand.class, AbortCommand.class, UndoCommand.class,
        HistoryCommand.class, ClusterCommand.class, StateCommand.class, InstallsCommand.class, MaxPauseCommand.class,
        WaitClusterCommand.class, KeygenCommand.class, SignCommand.class, VerifyCommand.class, HashPasswordCommand.class})
public final class MoltCtl implements Callable<Integer> {
  @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
      description = "a node's management URL (env MOLT_URL, config 'url'; default http://127.0.0.1:$MOLT_PORT_BASE, 8558)")
  String url;

  @Option(names = "--user", scope = ScopeType.INHERIT, paramLabel = "USER",
      description = "user (env MOLT_ADMIN_USER, config 'user'; default admin); the password: env MOLT_ADMIN_PASSWORD or config 'password'")
  String user;

  @Option(names = "--cacert", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "CA certificate(s), PEM, to trust for an https URL instead of the JDK's CAs (env MOLT_CA_CERT, config 'cacert')")
  Path caCert;

  @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "properties file with url, user, password (default ~/.config/molt/moltctl.properties when it exists)")
  Path config;

  @Spec CommandSpec spec;

  private final Map<String, String> env;
  private final boolean terminal;

  MoltCtl(Map<String, String> env, boolean terminal) {
    this.env = env;
    this.terminal = terminal;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(args, System.getenv(), System.console() != null, out, err));
  }

  /** Runs one command line; returns its exit code. {@code terminal}: live views redraw in place. */
  static int run(String[] args, Map<String, String> env, boolean terminal, PrintWriter out, PrintWriter err) {
    return commandLine(new MoltCtl(env, terminal), out, err).execute(args);
  }

  static CommandLine commandLine(MoltCtl root, PrintWriter out, PrintWriter err) {
    CommandLine line = new CommandLine(root).setOut(out).setErr(err)
        .setParameterExceptionHandler((e, args) -> {
          String message = e.getMessage();
          if (e instanceof CommandLine.UnmatchedArgumentException unmatched && e.getCommandLine().getParent() == null
              && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
            message = "unknown command '" + unmatched.getUnmatched().get(0) + "'; commands: "
                + String.join(", ", e.getCommandLine().getSubcommands().keySet());
          } else if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            message += "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?";
          }
          err.println("moltctl: " + message + " (see: moltctl " + commandPath(e.getCommandLine()) + "--help)");
          return Exit.USAGE.code;
        })
        .setExecutionExceptionHandler((e, cl, parsed) -> {
          if (e instanceof CliFailure failure) {
            err.println("moltctl: " + failure.getMessage());
            return failure.exit().code;
          }
          if (e instanceof InterruptedException) {
            err.println("moltctl: interrupted");
            return Exit.ERROR.code;
          }
          // A bug of moltctl, not of the server: still one line, with what it was.
          err.println("moltctl: " + cl.getCommandName() + ": " + e);
          return Exit.ERROR.code;
        });
    Map<String, String> codes = new LinkedHashMap<>();
    for (Exit exit : Exit.values()) {
      codes.put(Integer.toString(exit.code), exit.meaning);
    }
    line.getCommandSpec().usageMessage().exitCodeListHeading("Exit codes:%n").exitCodeList(codes);
    line.getSubcommands().values().forEach(sub ->
        sub.getCommandSpec().usageMessage().exitCodeListHeading("Exit codes:%n").exitCodeList(codes));
    return line;
  }

  private static String commandPath(CommandLine line) {
    String path = "";
    for (CommandLine c = line; c != null && c.getParent() != null; c = c.getParent()) {
      path = c.getCommandName() + " " + path;
    }
    return path;
  }

  /** No command given: the usage, as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().getErr().println("moltctl: a command is required");
    spec.commandLine().usage(spec.commandLine().getErr());
    return Exit.USAGE.code;
  }

  Connection connection() {
    return Connection.resolve(url, user, config, caCert, env);
  }

  boolean terminal() {
    return terminal;
  }
}
