package dev.molt.maven;

import dev.molt.protocol.release.ReleaseDescriptor;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.SortedMap;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;

/**
 * Builds the project's release bundle, {@code <name>-<version>.molt}, the file a Molt node takes
 * as an upload: the release descriptor at the root and, under {@code lib/}, the project's jar
 * (named after the release) and every runtime dependency the node does not provide. Dependencies
 * in scope {@code provided} (Molt's node and protocol, Akka, Jackson) stay out: the node has them.
 *
 * <p>The descriptor is checked with the node's own validation, and every behaviour's and hook's
 * {@code entryClass} must be in the bundle's jars, so a bundle the node would refuse fails the
 * build instead, naming the field. The bundle is attached to the project as an artifact of type
 * {@code molt}, so {@code install} and {@code deploy} publish it beside the jar.
 */
@Mojo(name = "bundle", defaultPhase = LifecyclePhase.PACKAGE, requiresDependencyResolution = ResolutionScope.RUNTIME,
    threadSafe = true)
public final class BundleMojo extends AbstractMojo {

  /** The artifact type (and file extension) the bundle is attached under. */
  static final String ARTIFACT_TYPE = "molt";

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  @Component
  private MavenProjectHelper projectHelper;

  /**
   * The release descriptor: its name and version name the bundle, and it is copied into the bundle
   * byte for byte as {@code molt-release.json}.
   */
  @Parameter(property = "molt.descriptor", defaultValue = "${project.basedir}/src/main/bundle/molt-release.json",
      required = true)
  private File descriptor;

  /** Where {@code <name>-<version>.molt} is written. */
  @Parameter(property = "molt.outputDirectory", defaultValue = "${project.build.directory}", required = true)
  private File outputDirectory;

  /** Attach the bundle to the project (type {@code molt}), so that install and deploy publish it. */
  @Parameter(property = "molt.attach", defaultValue = "true")
  private boolean attach;

  /**
   * Time of the bundle's entries, for a reproducible bundle: seconds since the epoch or ISO-8601
   * ({@code 2026-01-01T00:00:00Z}). Defaults to the project's {@code project.build.outputTimestamp},
   * which also makes the jar reproducible; unset, entries get the build's time. With it, rebuilding
   * unchanged code gives a byte-identical bundle, which a node that has the release takes as a no-op
   * (another SHA-256 under the same version is refused as a conflict).
   */
  @Parameter(property = "molt.outputTimestamp", defaultValue = "${project.build.outputTimestamp}")
  private String outputTimestamp;

  /**
   * The Ed25519 private key (PKCS#8 PEM, {@code moltctl keygen}) the bundle is signed with; nodes
   * refuse an unsigned bundle by default ({@code molt.bundle.require-signature}). Unset: unsigned.
   */
  @Parameter(property = "molt.signingKey")
  private File signingKey;

  /**
   * Make the {@code signingKey} pair first when it does not exist (its file must be named
   * {@code molt-signing.key}): for a build's development key under {@code target/}, never a release key.
   */
  @Parameter(property = "molt.generateSigningKey", defaultValue = "false")
  private boolean generateSigningKey;

  /** Skip building the bundle. */
  @Parameter(property = "molt.skip", defaultValue = "false")
  private boolean skip;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("molt bundle: skipped (molt.skip)");
      return;
    }
    long start = System.nanoTime();
    Optional<Instant> entryTime;
    try {
      entryTime = BundleWriter.entryTime(outputTimestamp);
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException(e.getMessage(), e);
    }
    CheckedDescriptor checked = CheckedDescriptor.read(descriptor.toPath());
    ReleaseDescriptor release = checked.descriptor();
    BundleJars jars = BundleJars.of(release.id().toString(), project.getArtifact(), project.getArtifacts());
    jars.warnings().forEach(getLog()::warn);
    checked.requireEntryClassesIn(jars.entries());
    Path bundle = outputDirectory.toPath().resolve(release.id() + ReleaseDescriptor.BUNDLE_EXTENSION);
    long bytes;
    try {
      bytes = BundleWriter.write(bundle, checked.bytes(), jars.entries(), entryTime);
    } catch (IOException e) {
      throw new MojoExecutionException("cannot write the bundle " + bundle + ": " + e.getMessage(), e);
    }
    String signed = signingKey == null
        ? "unsigned (no signingKey / molt.signingKey): a node requiring signatures, the default, refuses it"
        : BundleSigning.sign(bundle, signingKey.toPath(), generateSigningKey);
    if (attach) {
      projectHelper.attachArtifact(project, ARTIFACT_TYPE, bundle.toFile());
    }
    getLog().info(summary(release, jars.entries(), bundle, bytes, start));
    getLog().info("molt bundle " + release.id() + ": " + signed);
  }

  private static String summary(ReleaseDescriptor release, SortedMap<String, Path> jars, Path bundle, long bytes,
      long start) {
    long millis = (System.nanoTime() - start) / 1_000_000;
    return "molt bundle " + release.id() + ": " + release.behaviours().size() + " behaviour(s), " + jars.size()
        + " jar(s) under " + ReleaseDescriptor.LIB_FOLDER + " " + jars.keySet() + ", " + bytes + " bytes -> " + bundle
        + " (" + millis + " ms)";
  }
}
