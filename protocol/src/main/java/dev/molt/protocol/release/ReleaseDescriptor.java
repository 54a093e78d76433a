package dev.molt.protocol.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.molt.protocol.appup.AppupEntry;
import java.util.List;
import java.util.Optional;

/**
 * The release descriptor ({@value #FILE_NAME} at the root of a bundle), OTP's {@code .rel},
 * {@code .app} and {@code .appup} in one: what the release is, which behaviours it provides, the
 * supervision tree a node runs for it, named hooks, and optional explicit upgrade instructions
 * ({@code upFrom}) and downgrade instructions ({@code downTo}), both written in the newer release
 * as in OTP. Parse and validate it with {@link ReleaseDescriptors#parse}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ReleaseDescriptor(
    String name,
    String version,
    List<BehaviourSpec> behaviours,
    SupervisorSpec supervision,
    List<HookSpec> hooks,
    List<AppupEntry> upFrom,
    List<AppupEntry> downTo) {

  public static final String FILE_NAME = "molt-release.json";
  public static final String LIB_FOLDER = "lib/";
  public static final String BUNDLE_EXTENSION = ".molt";

  public ReleaseDescriptor {
    behaviours = behaviours == null ? List.of() : List.copyOf(behaviours);
    hooks = hooks == null ? List.of() : List.copyOf(hooks);
    upFrom = upFrom == null ? List.of() : List.copyOf(upFrom);
    downTo = downTo == null ? List.of() : List.copyOf(downTo);
  }

  public ReleaseDescriptor(String name, String version, List<BehaviourSpec> behaviours) {
    this(name, version, behaviours, null, null, null, null);
  }

  public ReleaseId id() {
    return new ReleaseId(name, version);
  }

  public ReleaseVersion releaseVersion() {
    return ReleaseVersion.parse(version);
  }

  public Optional<BehaviourSpec> behaviour(String behaviourName) {
    return behaviours.stream().filter(b -> b.name().equals(behaviourName)).findFirst();
  }

  public Optional<SupervisorSpec> supervisor(String supervisorName) {
    return supervision == null ? Optional.empty()
        : supervision.all().stream().filter(s -> supervisorName.equals(s.name())).findFirst();
  }

  /** Explicit instructions of this (newer) release for upgrading from, or downgrading to, {@code other}. */
  public Optional<AppupEntry> appup(String otherVersion, boolean upgrade) {
    return (upgrade ? upFrom : downTo).stream().filter(e -> e.version().equals(otherVersion)).findFirst();
  }
}
