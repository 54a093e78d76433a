package dev.molt.protocol.release;

import java.util.List;

/**
 * The release descriptor ({@value #FILE_NAME} at the root of a bundle), OTP's {@code .rel}/{@code
 * .app}: what the release is and which behaviours it provides. Parse and validate it with {@link
 * ReleaseDescriptors#parse}.
 */
public record ReleaseDescriptor(String name, String version, List<BehaviourSpec> behaviours) {

  public static final String FILE_NAME = "molt-release.json";
  public static final String LIB_FOLDER = "lib/";
  public static final String BUNDLE_EXTENSION = ".molt";

  public ReleaseDescriptor {
    behaviours = behaviours == null ? List.of() : List.copyOf(behaviours);
  }

  public ReleaseId id() {
    return new ReleaseId(name, version);
  }
}
