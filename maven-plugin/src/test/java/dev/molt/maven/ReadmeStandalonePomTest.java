package dev.molt.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's own-app guide shows the standalone pom that the integration test builds
 * (src/it/standalone-app), so the guide cannot drift from what is tested.
 */
class ReadmeStandalonePomTest {

  private static final String MARKER = "<!-- standalone-pom: maven-plugin/src/it/standalone-app/pom.xml verbatim";
  private static final String INDENT = "   ";

  @Test
  void theReadmeShowsTheTestedStandalonePomVerbatim() throws Exception {
    List<String> readme = Files.readAllLines(Path.of("../README.md"));
    int marker = indexOfLineContaining(readme, MARKER);
    assertTrue(marker >= 0, "README.md has no line with " + MARKER);
    assertEquals(INDENT + "```xml", readme.get(marker + 1), "the marker must be followed by an xml code block");
    int end = marker + 2;
    while (end < readme.size() && !readme.get(end).equals(INDENT + "```")) {
      end++;
    }
    String shown = readme.subList(marker + 2, end).stream()
        .map(line -> line.startsWith(INDENT) ? line.substring(INDENT.length()) : line)
        .collect(Collectors.joining("\n"));
    String tested = Files.readString(Path.of("src/it/standalone-app/pom.xml")).stripTrailing();
    assertEquals(tested, shown);
  }

  private static int indexOfLineContaining(List<String> lines, String text) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    return -1;
  }
}
