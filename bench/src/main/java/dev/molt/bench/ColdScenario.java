package dev.molt.bench;

import dev.molt.protocol.control.InstallMode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario cold: the first upgrades of a node after it started, as in the demo and after every
 * restart. Each rep is a fresh JVM (this class's {@code main}): counter 1.0.0 with {@code n}
 * actors, then 2.0.0 (variant {@code first-<mode>}: Molt's own install path and the release both
 * cold), then back to 1.0.0 loaded anew ({@code second-<mode>}: Molt's path run once, the
 * release's classes fresh, as every later upgrade's are). Same metrics as bulk.
 */
final class ColdScenario {
  private static final String SAMPLE = "sample ";

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
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> other = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(SAMPLE)) {
              results.addLine(line.substring(SAMPLE.length()));
            } else {
              other.add(line);
            }
          }
        }
        if (child.waitFor() != 0) {
          throw new IllegalStateException("cold " + mode.json() + " rep " + rep + " failed (exit " + child.exitValue()
              + "): " + String.join("\n", other));
        }
      }
    }
  }

  /** One rep in this fresh JVM: {@code <bundles> <n> <mode>}; prints each sample as {@code sample ...}. */
  public static void main(String[] args) throws Exception {
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
    System.exit(0);
  }
}
