package dev.molt.node.spi;

import org.slf4j.Logger;

/**
 * Code an {@code apply} instruction runs during an install, where the instruction is written:
 * after the point of no return, or before it when written before a {@code point-of-no-return}
 * instruction (OTP's {@code {apply, {M, F, A}}}). Declared in the descriptor's {@code hooks} by
 * name; a public class with a no-argument constructor in the release that declares the
 * instruction (the newer one, also on a downgrade).
 */
public interface UpgradeHook {
  void apply(Logger log) throws Exception;
}
