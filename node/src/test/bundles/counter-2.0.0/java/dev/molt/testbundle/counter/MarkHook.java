package dev.molt.testbundle.counter;

import dev.molt.node.spi.UpgradeHook;
import org.slf4j.Logger;

/**
 * An {@code apply} hook for the install tests: appends the logger's name (which names the release
 * and the hook, {@code molt.hook.<release>.<hook>}) to the system property {@code molt.test.hooks},
 * so a test sees which release's hook ran and in what order. With {@code molt.test.hook-fail=true}
 * it throws instead.
 */
public final class MarkHook implements UpgradeHook {
  @Override
  public void apply(Logger log) {
    if (Boolean.getBoolean("molt.test.hook-fail")) {
      throw new IllegalStateException("hook refused: molt.test.hook-fail is set");
    }
    synchronized (System.getProperties()) {
      String before = System.getProperty("molt.test.hooks", "");
      System.setProperty("molt.test.hooks", before.isEmpty() ? log.getName() : before + "," + log.getName());
    }
    log.info("hook ran");
  }
}
