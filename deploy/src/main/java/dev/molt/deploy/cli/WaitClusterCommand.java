package dev.molt.deploy.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code moltctl wait-cluster N}: {@link ClusterWait}, used by deploy/local/cluster.sh. */
@Command(name = "wait-cluster", mixinStandardHelpOptions = true,
    description = "Wait until the cluster has N ready members (and, given --node, that each port is answered by its node).")
final class WaitClusterCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "N", description = "members expected, at least 1")
  int members;

  @Option(names = "--timeout", paramLabel = "D", defaultValue = "120s", converter = DurationConverter.class,
      description = "give up after D (exit 6); default ${DEFAULT-VALUE}")
  Duration timeout;

  @Option(names = "--node", paramLabel = "MANAGEMENT_URL=HOST:REMOTE_PORT",
      description = "a node the script started; its management port must be answered by that node")
  List<String> nodes = new ArrayList<>();

  @Override
  Exit run() throws InterruptedException {
    if (members < 1) {
      throw new CliFailure(Exit.USAGE, "N must be at least 1, not " + members);
    }
    var ours = ClusterWait.parseNodes(nodes);
    if (!ours.isEmpty() && ours.size() != members) {
      throw new CliFailure(Exit.USAGE, members + " members expected but " + ours.size() + " --node given");
    }
    new ClusterWait(api(), out()).await(connection().base(), members, timeout, ours);
    return Exit.OK;
  }
}
