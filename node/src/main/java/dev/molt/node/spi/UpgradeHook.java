package dev.molt.node.spi;

import org.slf4j.Logger;

/**
 * Code an {@code apply} instruction runs during an install, after the point of no return (OTP's
 * {@code {apply, {M, F, A}}}). Declared in the descriptor's {@code hooks} by name; a public class
 * with a no-argument constructor in the release.
 */
public interface UpgradeHook {
  void apply(Logger log) throws Exception;
}
