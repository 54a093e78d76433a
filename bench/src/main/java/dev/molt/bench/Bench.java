package dev.molt.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the benchmark scenarios in this JVM and writes {@code summary.csv} (header
 * {@code scenario,variant,n,metric,reps,median,min,max}, times in microseconds) and a Markdown
 * table. {@code bench/run.sh} is the way to call it.
 *
 * <pre>java -cp 'bench/target/lib/*' dev.molt.bench.Bench --bundles node/target/test-bundles --out bench/results
 *   [--scenarios bulk,single,memory] [--sizes 1000,10000,100000] [--reps N (bulk, load, cluster)]
 *   [--minutes N (soak, 12)]</pre>
 *
 * The soak is run only when named ({@code --scenarios soak}); it exits 1 when it fails.
 */
public final class Bench {
  private Bench() {}

  /**
   * Exits 1 when a scenario fails, naming it: a failed scenario can leave its node's actor system
   * running, which would otherwise keep the JVM (and {@code bench/run.sh}) alive for good.
   */
  public static void main(String[] args) {
    try {
      System.exit(run(args) ? 0 : 1);
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.err.println("bench: failed: " + e);
      System.exit(1);
    }
  }

  private static boolean run(String[] args) throws Exception {
    Path bundles = Path.of("node/target/test-bundles");
    Path out = Path.of("bench/results");
    Path examples = Path.of("examples");
    List<String> scenarios = List.of("bulk", "load", "single", "cold", "memory", "cluster");
    int[] sizes = {1_000, 10_000, 100_000};
    int reps = 0; // 0: the default per scenario
    int minutes = 12;
    boolean passed = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--bundles" -> bundles = Path.of(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--examples" -> examples = Path.of(args[++i]);
        case "--scenarios" -> scenarios = List.of(args[++i].split(","));
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        case "--minutes" -> minutes = Integer.parseInt(args[++i]);
        case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    var runtime = ManagementFactory.getRuntimeMXBean();
    System.out.printf("machine: %d cores, JDK %s (%s), max heap %d MiB, args %s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), System.getProperty("java.vm.name"),
        Runtime.getRuntime().maxMemory() / (1024 * 1024), runtime.getInputArguments());
    Results results = new Results();
    for (String scenario : scenarios) {
      long started = System.nanoTime();
      switch (scenario) {
        case "bulk" -> {
          for (int n : sizes) {
            BulkScenario.run(bundles, n, reps > 0 ? reps : n >= 100_000 ? 3 : 5, results);
            System.out.printf("bulk n=%d done%n", n);
          }
        }
        case "load" -> LoadScenario.run(bundles, 10_000, 100, reps > 0 ? reps : 3, results);
        case "single" -> SingleScenario.run(bundles, 1000, results);
        case "cold" -> ColdScenario.run(bundles, 10, reps > 0 ? reps : 5, results);
        case "memory" -> MemoryScenario.run(bundles, 10_000, 100, results);
        case "cluster" -> ClusterScenario.run(examples, java.nio.file.Files.createTempDirectory("molt-bench-cluster-"),
            reps > 0 ? reps : 3, results);
        case "soak" -> passed &= SoakScenario.run(examples, java.nio.file.Files.createTempDirectory("molt-bench-soak-"),
            minutes, results);
        default -> throw new IllegalArgumentException("unknown scenario " + scenario);
      }
      System.out.printf("%s done in %d s%n", scenario, (System.nanoTime() - started) / 1_000_000_000L);
    }
    results.writeCsv(out.resolve("summary.csv"));
    System.out.println();
    System.out.println(results.markdown());
    System.out.println("written: " + out.resolve("summary.csv"));
    return passed;
  }
}
