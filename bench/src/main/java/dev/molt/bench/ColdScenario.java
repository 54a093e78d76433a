package dev.molt.bench;

import dev.molt.protocol.control.InstallMode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Scenario cold: the first upgrades of a node after it started, as in the demo and after every
 * restart. Each rep is a fresh JVM (this class's {@code main}): counter 1.0.0 with {@code n}
 * actors, then 2.0.0 (variant {@code first-<mode>}: Molt's own install path and the release both
 * cold), then back to 1.0.0 loaded anew ({@code second-<mode>}: Molt's path run once, the
 * release's classes fresh, as every later upgrade's are). Same metrics as bulk.
 */
final class ColdScenario {
  private static final String SAMPLE = "sample ";
  private static final Duration CHILD_LIMIT = Duration.ofMinutes(5);

  private ColdScenario() {}

  static void run(Path bundles, int n, int reps, Results results) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int rep = 0; rep < reps; rep++) {
      for (InstallMode mode : InstallMode.values()) {
        List<String> command = new ArrayList<>(List.of(java, "-Xms512m", "-Xmx512m", "-XX:+UseParallelGC"));
        String logback = System.getProperty("logback.configurationFile");
        if (logback != null) {
          command.add("-Dlogback.configurationFile=" + logback);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ColdScenario.class.getName(),
            bundles.toString(), Integer.toString(n), mode.json()));
        results.addAll(runChild(command, mode.json() + " rep " + rep));
      }
    }
  }

  /**
   * The child's samples. Its output is read on a thread of its own so that a child that hangs
   * cannot hang the bench: past {@link #CHILD_LIMIT} it is killed and the scenario fails.
   */
  private static List<String> runChild(List<String> command, String what) throws Exception {
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> samples = new CopyOnWriteArrayList<>();
    List<String> other = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          (line.startsWith(SAMPLE) ? samples : other).add(line);
        }
      } catch (IOException e) {
        other.add("output not read: " + e);
      }
    }, "cold-output");
    reader.setDaemon(true);
    reader.start();
    try {
      if (!child.waitFor(CHILD_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("cold " + what + " did not end within " + CHILD_LIMIT.toSeconds() + " s: "
            + String.join("\n", other));
      }
      reader.join(CHILD_LIMIT.toMillis());
      if (child.exitValue() != 0) {
        throw new IllegalStateException("cold " + what + " failed (exit " + child.exitValue() + "): "
            + String.join("\n", other));
      }
      return samples.stream().map(line -> line.substring(SAMPLE.length())).toList();
    } finally {
      child.destroyForcibly();
    }
  }

  /** One rep in this fresh JVM: {@code <bundles> <n> <mode>}; prints each sample as {@code sample ...}. */
  public static void main(String[] args) {
    try {
      Path bundles = Path.of(args[0]);
      int n = Integer.parseInt(args[1]);
      InstallMode mode = InstallMode.parse(args[2]);
      Results results = new Results();
      try (BenchNode node = new BenchNode(bundles)) {
        node.install(BenchNode.V1, InstallMode.BARRIER);
        node.spawnCounters(n);
        BulkScenario.measure("cold", node, n, BenchNode.V2, BenchNode.V1, mode, "first-" + mode.json(), results);
        BulkScenario.measure("cold", node, n, BenchNode.V1, BenchNode.V2, mode, "second-" + mode.json(), results);
      }
      results.sampleLines().forEach(line -> System.out.println(SAMPLE + line));
    } catch (Throwable e) {
      // Akka's threads would keep this JVM alive: the parent hears the failure now, not at its limit.
      e.printStackTrace(System.out);
      System.exit(1);
    }
    System.exit(0);
  }
}
