package dev.molt.protocol.release;

import java.util.Objects;

/**
 * A release as OTP names one: application name plus release version, printed {@code name-version}.
 * A name never ends in a version ({@link ReleaseDescriptors#releaseNameProblem}), so the printed
 * form reads back as the same id; on disk name and version are still kept apart.
 */
public record ReleaseId(String name, String version) implements Comparable<ReleaseId> {

  public ReleaseId {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    String nameProblem = ReleaseDescriptors.releaseNameProblem(name);
    if (nameProblem != null) {
      throw new IllegalArgumentException("release " + nameProblem);
    }
    if (!ReleaseVersion.isValid(version)) {
      throw new IllegalArgumentException("release version '" + version + "' must be MAJOR.MINOR.PATCH[-qualifier]");
    }
  }

  /** Parses {@code name-version}, where the version starts at the last '-' followed by a digit run with dots. */
  public static ReleaseId parse(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("(.+?)-(\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.]+)?)").matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a release id of the form name-MAJOR.MINOR.PATCH");
    }
    return new ReleaseId(m.group(1), m.group(2));
  }

  /** The bundle file name this release is published under. */
  public String bundleFileName() {
    return this + ReleaseDescriptor.BUNDLE_EXTENSION;
  }

  @Override
  public int compareTo(ReleaseId other) {
    int byName = name.compareTo(other.name);
    return byName != 0 ? byName : ReleaseVersion.parse(version).compareTo(ReleaseVersion.parse(other.version));
  }

  @Override
  public String toString() {
    return name + "-" + version;
  }
}
