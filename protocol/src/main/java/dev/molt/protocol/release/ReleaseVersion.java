package dev.molt.protocol.release;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A release version {@code MAJOR.MINOR.PATCH[-qualifier]}, ordered numerically. */
public record ReleaseVersion(int major, int minor, int patch, String qualifier)
    implements Comparable<ReleaseVersion> {

  private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})\\.(\\d{1,9})\\.(\\d{1,9})(?:-([0-9A-Za-z.]+))?");

  public static boolean isValid(String text) {
    return text != null && FORMAT.matcher(text).matches();
  }

  public static ReleaseVersion parse(String text) {
    Matcher m = text == null ? null : FORMAT.matcher(text);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          "release version '" + text + "' is not of the form MAJOR.MINOR.PATCH[-qualifier]");
    }
    return new ReleaseVersion(
        Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
        m.group(4) == null ? "" : m.group(4));
  }

  @Override
  public int compareTo(ReleaseVersion o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) c = Integer.compare(minor, o.minor);
    if (c == 0) c = Integer.compare(patch, o.patch);
    if (c == 0) {
      // A release without qualifier is newer than its pre-releases, as in SemVer.
      if (qualifier.isEmpty() || o.qualifier.isEmpty()) c = Boolean.compare(qualifier.isEmpty(), o.qualifier.isEmpty());
      else c = qualifier.compareTo(o.qualifier);
    }
    return c;
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch + (qualifier.isEmpty() ? "" : "-" + qualifier);
  }
}
