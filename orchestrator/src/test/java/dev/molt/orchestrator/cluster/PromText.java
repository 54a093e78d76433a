package dev.molt.orchestrator.cluster;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A strict reader of the Prometheus text format 0.0.4, for tests: the Prometheus Java client
 * 1.10 publishes writers only (no parser in prometheus-metrics-exposition-textformats), so this
 * checks what a Prometheus server would: every line a HELP, a TYPE or a sample; names and label
 * names as the format allows; label values quoted with its escapes; a value that parses; each
 * sample's family declared by a TYPE line before it, once. Anything else fails the test.
 */
final class PromText {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)( -?\\d+)?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");
  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");
  private static final Set<String> SUFFIXES = Set.of("_total", "_bucket", "_count", "_sum", "_created");

  private PromText() {}

  /** Every sample as {@code name{label="value",...}} (labels sorted) to its value. */
  static Map<String, Double> parse(String text) {
    Map<String, String> types = new HashMap<>();
    Map<String, Double> samples = new LinkedHashMap<>();
    int number = 0;
    for (String line : text.split("\n", -1)) {
      number++;
      if (line.isEmpty()) {
        continue;
      }
      String where = "line " + number + " '" + line + "'";
      if (line.startsWith("# HELP ")) {
        require(NAME.matcher(line.substring(7).split(" ", 2)[0]).matches(), "HELP of a bad name: " + where);
      } else if (line.startsWith("# TYPE ")) {
        String[] parts = line.substring(7).split(" ");
        require(parts.length == 2 && NAME.matcher(parts[0]).matches() && TYPES.contains(parts[1]), "bad TYPE: " + where);
        require(types.put(parts[0], parts[1]) == null, "a second TYPE for " + parts[0] + ": " + where);
      } else if (line.startsWith("#")) {
        continue; // a comment
      } else {
        Matcher m = SAMPLE.matcher(line);
        require(m.matches(), "not a sample: " + where);
        String name = m.group(1);
        require(types.containsKey(family(name, types)), "a sample with no TYPE before it: " + where);
        Map<String, String> labels = new TreeMap<>();
        if (m.group(3) != null && !m.group(3).isEmpty()) {
          Matcher l = LABEL.matcher(m.group(3));
          int at = 0;
          while (at < m.group(3).length()) {
            require(l.find(at) && l.start() == at, "bad labels: " + where);
            require(labels.put(l.group(1), l.group(2)) == null, "a label twice: " + where);
            at = l.end();
          }
        }
        double value;
        try {
          value = switch (m.group(4)) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(m.group(4));
          };
        } catch (NumberFormatException e) {
          throw new AssertionError("bad value: " + where);
        }
        String key = name + (labels.isEmpty() ? "" : labels.entrySet().stream()
            .map(e -> e.getKey() + "=\"" + e.getValue() + "\"").collect(Collectors.joining(",", "{", "}")));
        require(samples.put(key, value) == null, "a sample twice: " + where);
      }
    }
    return samples;
  }

  /** The value of a sample, 0 when absent (a labelled counter appears at its first increment). */
  static double value(Map<String, Double> samples, String key) {
    return samples.getOrDefault(key, 0.0);
  }

  /** The sum over every sample of a name, whatever its labels. */
  static double sum(Map<String, Double> samples, String name) {
    return samples.entrySet().stream().filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
        .mapToDouble(Map.Entry::getValue).sum();
  }

  private static String family(String name, Map<String, String> types) {
    if (types.containsKey(name)) {
      return name;
    }
    for (String suffix : SUFFIXES) {
      if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return name;
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError("not Prometheus text format 0.0.4: " + what);
    }
  }
}
