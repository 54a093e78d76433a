package dev.molt.protocol.release;

import java.util.Objects;

/** A release as OTP names one: application name plus release version, printed {@code name-version}. */
public record ReleaseId(String name, String version) implements Comparable<ReleaseId> {

  public ReleaseId {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
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
