package dev.molt.deploy.cli;

import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code moltctl status [ID]}: a rollout (the newest by default) as {@link RolloutView} shows it.
 * With {@code --watch} or {@code --timeout} it follows the rollout on the event stream
 * ({@link RolloutWatch}) to its end and exits by how it ended, for CI.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show a rollout (default: the newest): phase, batch k/n, each node from -> to, step, actors, took, "
        + "longest pause, errors, and a bar of the nodes done.",
        "With --watch or --timeout follow it to its end: exit 0 completed, 3 failed, 4 rolled back, 5 aborted, 6 timeout."})
final class StatusCommand extends ApiCommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "the rollout's id (default: the newest)")
  String id;

  @Option(names = "--watch", description = "redraw on each of its events (GET /molt/events; in place on a terminal, "
      + "a line per change when piped); reconnects with the last event's id, polls a server without the stream")
  boolean watch;

  @Option(names = "--timeout", paramLabel = "D", converter = DurationConverter.class,
      description = "wait at most D for the rollout to end (exit 6 after it); with --watch the default is " + DEFAULT_TIMEOUT)
  Duration timeout;

  @Override
  Exit run() throws InterruptedException {
    String rollout = id != null ? id : RolloutFollower.latest(api(), connection());
    if (!watch && timeout == null) {
      follower(false).showOnce(rollout);
      return Exit.OK;
    }
    return new RolloutWatch(api(), connection(), screen(watch), err(), EventFeed.Backoff.DEFAULT)
        .follow(rollout, timeout != null ? timeout : new DurationConverter().convert(DEFAULT_TIMEOUT), watch);
  }
}
