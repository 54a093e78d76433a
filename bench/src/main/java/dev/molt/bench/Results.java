package dev.molt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Samples per (scenario, variant, n, metric); summarised as median, min, max over the repetitions. */
final class Results {
  private record Key(String scenario, String variant, long n, String metric) {}

  private final Map<Key, List<Long>> samples = new LinkedHashMap<>();

  void add(String scenario, String variant, long n, String metric, long value) {
    samples.computeIfAbsent(new Key(scenario, variant, n, metric), k -> new ArrayList<>()).add(value);
  }

  /** Every sample as a line {@code scenario variant n metric value}, for a child JVM to hand its samples to the bench. */
  List<String> sampleLines() {
    List<String> lines = new ArrayList<>();
    samples.forEach((k, v) -> v.forEach(value -> lines.add(String.join(" ", k.scenario(), k.variant(),
        Long.toString(k.n()), k.metric(), Long.toString(value)))));
    return lines;
  }

  /** Adds a sample written by {@link #sampleLines}. */
  void addLine(String line) {
    String[] f = line.trim().split(" ");
    if (f.length != 5) {
      throw new IllegalArgumentException("not a sample line: " + line);
    }
    add(f[0], f[1], Long.parseLong(f[2]), f[3], Long.parseLong(f[4]));
  }

  /** Adds samples written by {@link #sampleLines}. */
  void addAll(List<String> lines) {
    lines.forEach(this::addLine);
  }

  /** Writes this run's rows; rows of scenarios this run did not measure are kept from the file. */
  void writeCsv(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    StringBuilder csv = new StringBuilder("scenario,variant,n,metric,reps,median,min,max\n");
    java.util.Set<String> measured = new java.util.HashSet<>();
    samples.keySet().forEach(k -> measured.add(k.scenario()));
    if (Files.isRegularFile(file)) {
      Files.readAllLines(file).stream().skip(1)
          .filter(row -> !row.isBlank() && !measured.contains(row.substring(0, Math.max(0, row.indexOf(',')))))
          .forEach(row -> csv.append(row).append('\n'));
    }
    samples.forEach((k, v) -> {
      long[] s = sorted(v);
      csv.append(k.scenario()).append(',').append(k.variant()).append(',').append(k.n()).append(',').append(k.metric())
          .append(',').append(s.length).append(',').append(median(s)).append(',').append(s[0]).append(',')
          .append(s[s.length - 1]).append('\n');
    });
    Files.writeString(file, csv.toString());
  }

  String markdown() {
    StringBuilder md = new StringBuilder("| scenario | variant | n | metric | reps | median | min | max |\n|---|---|---|---|---|---|---|---|\n");
    samples.forEach((k, v) -> {
      long[] s = sorted(v);
      md.append("| ").append(k.scenario()).append(" | ").append(k.variant()).append(" | ").append(k.n()).append(" | ")
          .append(k.metric()).append(" | ").append(s.length).append(" | ").append(median(s)).append(" | ").append(s[0])
          .append(" | ").append(s[s.length - 1]).append(" |\n");
    });
    return md.toString();
  }

  static long[] sorted(List<Long> values) {
    long[] s = values.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(s);
    return s;
  }

  static long median(long[] sorted) {
    return sorted[(sorted.length - 1) / 2];
  }

  static long percentile(long[] sorted, double fraction) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * fraction) - 1))];
  }
}
