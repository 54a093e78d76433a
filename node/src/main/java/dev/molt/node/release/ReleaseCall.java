package dev.molt.node.release;

import java.util.concurrent.Callable;

/**
 * The one way into release code: the release's loader is the thread's context class loader for
 * the call (dispatcher threads carry the system's, and ServiceLoader or Jackson would look in the
 * wrong place) and is restored after it; a {@link LinkageError}, fatal to Akka, and the errors
 * buggy code throws ({@link StackOverflowError}, {@link AssertionError}) become an ordinary
 * {@link ReleaseCodeException}.
 */
final class ReleaseCall {
  private ReleaseCall() {}

  /** {@code owner} and {@code what} name the call in an error; they are only formatted then. */
  static <T> T in(ClassLoader loader, Object owner, String what, Callable<T> body) throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    // On a release-code thread, what runs is noted so that a stuck call can be named.
    ReleaseCodeThread releaseThread = thread instanceof ReleaseCodeThread t ? t : null;
    ReleaseCodeThread.Activity outer = releaseThread == null ? null : releaseThread.enter(owner, what);
    thread.setContextClassLoader(loader);
    try {
      return body.call();
    } catch (LinkageError e) {
      throw new ReleaseCodeException(what + " of " + owner + " hit a linkage error: " + e, e);
    } catch (StackOverflowError | AssertionError e) {
      // Errors, so no `catch (Exception)` of a caller sees them: the install thread would die
      // with the agent still "installing".
      throw new ReleaseCodeException(what + " of " + owner + " failed: " + e, e);
    } finally {
      thread.setContextClassLoader(previous);
      if (releaseThread != null) {
        releaseThread.leave(outer);
      }
    }
  }
}
