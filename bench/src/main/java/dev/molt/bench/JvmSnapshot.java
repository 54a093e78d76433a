package dev.molt.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Another JVM's footprint after a full GC, read with {@code jcmd} (the node JVMs run without JMX):
 * {@code GC.run}, then {@code PerfCounter.print} for the heap spaces, classes and threads, and
 * {@code GC.heap_info} for the metaspace. The heap after GC is every heap space's use except
 * eden's: a full GC empties eden, and the load keeps allocating into it while jcmd runs.
 */
record JvmSnapshot(long heapAfterGcBytes, long metaspaceUsedBytes, long loadedClasses, long liveThreads) {

  /** Metric names, in the order of {@link #values()}. */
  static final List<String> NAMES = List.of("heap_after_gc_bytes", "metaspace_used_bytes", "loaded_classes", "live_threads");
  private static final Pattern COUNTER = Pattern.compile("^(\\S+)=(.*)$", Pattern.MULTILINE);
  private static final Pattern SPACE_USED = Pattern.compile("sun\\.gc\\.generation\\.(\\d+)\\.space\\.(\\d+)\\.used");
  private static final Pattern METASPACE = Pattern.compile("^\\s*Metaspace\\s+used (\\d+)K", Pattern.MULTILINE);

  /** The four numbers of the JVM {@code pid}, after a full GC it asks for. */
  static JvmSnapshot of(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    Map<String, String> counters = perfCounters(jcmd(pid, "PerfCounter.print"));
    String heapInfo = jcmd(pid, "GC.heap_info");
    return new JvmSnapshot(heapAfterGc(counters), metaspaceUsed(heapInfo),
        number(counters, "java.cls.loadedClasses") - number(counters, "java.cls.unloadedClasses"),
        number(counters, "java.threads.live"));
  }

  static double percent(long from, long to) {
    return from == 0 ? (to == 0 ? 0 : Double.POSITIVE_INFINITY) : 100.0 * (to - from) / from;
  }

  static Map<String, String> perfCounters(String output) {
    Map<String, String> counters = new HashMap<>();
    Matcher m = COUNTER.matcher(output);
    while (m.find()) {
      counters.put(m.group(1), m.group(2).trim());
    }
    return counters;
  }

  /** Sum of the used bytes of every heap space but eden (named "eden" in the space's name counter). */
  static long heapAfterGc(Map<String, String> counters) {
    long used = 0;
    int spaces = 0;
    for (Map.Entry<String, String> e : counters.entrySet()) {
      Matcher m = SPACE_USED.matcher(e.getKey());
      if (!m.matches()) {
        continue;
      }
      String name = counters.get("sun.gc.generation." + m.group(1) + ".space." + m.group(2) + ".name");
      spaces++;
      if (!"\"eden\"".equals(name)) {
        used += Long.parseLong(e.getValue());
      }
    }
    if (spaces == 0) {
      throw new IllegalStateException("PerfCounter.print lists no sun.gc.generation.*.space.*.used counters");
    }
    return used;
  }

  static long metaspaceUsed(String heapInfo) {
    Matcher m = METASPACE.matcher(heapInfo);
    if (!m.find()) {
      throw new IllegalStateException("GC.heap_info has no 'Metaspace used NK' line:\n" + heapInfo);
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  private static long number(Map<String, String> counters, String name) {
    String value = counters.get(name);
    if (value == null) {
      throw new IllegalStateException("PerfCounter.print has no " + name);
    }
    return Long.parseLong(value);
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    Process process = new ProcessBuilder(List.of(jcmd, Long.toString(pid), command)).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    // The output ends when jcmd does; the wait only collects its exit code.
    if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + output);
    }
    return output;
  }

  /** The snapshot as a line of a report. */
  String describe() {
    return String.format("heap after GC %.1f MiB, metaspace %.1f MiB, %d classes, %d threads",
        heapAfterGcBytes / 1048576.0, metaspaceUsedBytes / 1048576.0, loadedClasses, liveThreads);
  }

  long[] values() {
    return new long[] {heapAfterGcBytes, metaspaceUsedBytes, loadedClasses, liveThreads};
  }
}
