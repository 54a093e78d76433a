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
 *
 * <p>{@code lossy} names behaviours of this release whose migrations to and from older versions
 * may lose data on purpose (a field an older version cannot hold). Every other migration must
 * survive a round trip (to the target and back) on live states before an install passes its point
 * of no return; a declared one is not compared, and the plan says so.
 *
 * <p>{@code entities} declares Cluster Sharding entity types ({@link EntitySpec}); they run beside
 * the supervision tree.
 *
 * <p>A release is a set of applications (OTP's {@code .rel}): either {@code applications}, each
 * with its own supervision tree and start type ({@link ApplicationSpec}), or, the single-tree form,
 * {@code supervision}, which is one permanent application named after the release. Not both.
 * {@link #allApplications()} gives them whichever form declared them.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ReleaseDescriptor(
    String name,
    String version,
    List<BehaviourSpec> behaviours,
    SupervisorSpec supervision,
    List<HookSpec> hooks,
    List<AppupEntry> upFrom,
    List<AppupEntry> downTo,
    List<String> lossy,
    List<EntitySpec> entities,
    List<ApplicationSpec> applications) {

  public static final String FILE_NAME = "molt-release.json";
  public static final String LIB_FOLDER = "lib/";
  public static final String BUNDLE_EXTENSION = ".molt";

  public ReleaseDescriptor {
    behaviours = behaviours == null ? List.of() : List.copyOf(behaviours);
    hooks = hooks == null ? List.of() : List.copyOf(hooks);
    upFrom = upFrom == null ? List.of() : List.copyOf(upFrom);
    downTo = downTo == null ? List.of() : List.copyOf(downTo);
    lossy = lossy == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(lossy));
    entities = entities == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(entities));
    applications = applications == null ? List.of()
        : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(applications));
  }

  public ReleaseDescriptor(String name, String version, List<BehaviourSpec> behaviours, SupervisorSpec supervision,
      List<HookSpec> hooks, List<AppupEntry> upFrom, List<AppupEntry> downTo, List<String> lossy,
      List<EntitySpec> entities) {
    this(name, version, behaviours, supervision, hooks, upFrom, downTo, lossy, entities, null);
  }

  public ReleaseDescriptor(String name, String version, List<BehaviourSpec> behaviours, SupervisorSpec supervision,
      List<HookSpec> hooks, List<AppupEntry> upFrom, List<AppupEntry> downTo, List<String> lossy) {
    this(name, version, behaviours, supervision, hooks, upFrom, downTo, lossy, null, null);
  }

  public ReleaseDescriptor(String name, String version, List<BehaviourSpec> behaviours, SupervisorSpec supervision,
      List<HookSpec> hooks, List<AppupEntry> upFrom, List<AppupEntry> downTo) {
    this(name, version, behaviours, supervision, hooks, upFrom, downTo, null, null, null);
  }

  public ReleaseDescriptor(String name, String version, List<BehaviourSpec> behaviours) {
    this(name, version, behaviours, null, null, null, null, null, null, null);
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

  /**
   * The applications of the release in start order: {@code applications}, or the single-tree form's
   * {@code supervision} as one permanent application named after the release, or none.
   */
  public List<ApplicationSpec> allApplications() {
    if (!applications.isEmpty() || supervision == null) {
      return applications;
    }
    return List.of(new ApplicationSpec(name, StartType.PERMANENT, supervision));
  }

  public Optional<ApplicationSpec> application(String applicationName) {
    return allApplications().stream().filter(a -> a != null && applicationName.equals(a.name())).findFirst();
  }

  /** Every supervisor of every application, each application's parents first. */
  public List<SupervisorSpec> supervisors() {
    return allApplications().stream().filter(a -> a != null && a.supervision() != null)
        .flatMap(a -> a.supervision().all().stream()).toList();
  }

  public Optional<SupervisorSpec> supervisor(String supervisorName) {
    return supervisors().stream().filter(s -> supervisorName.equals(s.name())).findFirst();
  }

  public Optional<EntitySpec> entity(String type) {
    return entities.stream().filter(e -> e != null && type.equals(e.type())).findFirst();
  }

  /** Whether this release declares the migrations of {@code behaviourName} lossy. */
  public boolean lossy(String behaviourName) {
    return lossy.contains(behaviourName);
  }

  /** Explicit instructions of this (newer) release for upgrading from, or downgrading to, {@code other}. */
  public Optional<AppupEntry> appup(String otherVersion, boolean upgrade) {
    return (upgrade ? upFrom : downTo).stream().filter(e -> e.version().equals(otherVersion)).findFirst();
  }
}
