package dev.molt.node.release;

/**
 * A thread of {@link ReleaseThreads}. {@link ReleaseCall} notes on it which call into release code
 * runs, so that a stuck one can be named (the behaviour and the method) when it is abandoned.
 */
final class ReleaseCodeThread extends Thread {

  /** The call into release code this thread is in; formatted only when it is reported. */
  record Activity(Object owner, String what) {
    @Override
    public String toString() {
      return what + " of " + owner;
    }
  }

  private volatile Activity activity;

  ReleaseCodeThread(Runnable body, String name) {
    super(body, name);
    setDaemon(true);
    // Not the creating thread's: a release loader inherited here would be pinned by an idle thread.
    setContextClassLoader(ReleaseCodeThread.class.getClassLoader());
  }

  Activity enter(Object owner, String what) {
    Activity previous = activity;
    activity = new Activity(owner, what);
    return previous;
  }

  /** Restores the outer call's activity; null once the outermost call returned, so no loader stays pinned. */
  void leave(Activity previous) {
    activity = previous;
  }

  Activity activity() {
    return activity;
  }
}
