package dev.molt.node.release;

import dev.molt.protocol.release.ReleaseId;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * One release's code (OTP keeps "current" and "old" code per module; Molt keeps a loader per
 * release). Parent-first: Akka, Jackson, the SPI and Molt itself come from the node, so a release
 * and the node agree on them. Knows its {@link LoadedRelease}, so a message object of this release
 * met by a host on another release can be turned back into data by the code that made it.
 */
public final class ReleaseClassLoader extends URLClassLoader {
  static {
    registerAsParallelCapable();
  }

  private final ReleaseId release;
  private volatile LoadedRelease loaded;

  ReleaseClassLoader(ReleaseId release, URL[] jars, ClassLoader parent) {
    super(ReleaseFrames.RELEASE_LOADER_NAME + release, jars, parent);
    this.release = release;
  }

  public ReleaseId release() {
    return release;
  }

  /** The loaded release this loader belongs to; null while it is still being checked. */
  public LoadedRelease loaded() {
    return loaded;
  }

  void bind(LoadedRelease loaded) {
    this.loaded = loaded;
  }
}
