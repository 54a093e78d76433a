package dev.molt.protocol.relup;

import dev.molt.protocol.WireName;

/**
 * OTP's rule for a change-code step: going up, the new code is loaded before it migrates the
 * state; going down, the newer code migrates the state before the older code is loaded. A soft
 * change (or the same version) only loads.
 */
public enum LoadOrder implements WireName {
  LOAD_ONLY,
  LOAD_THEN_MIGRATE,
  MIGRATE_THEN_LOAD;

  @Override
  public String toString() {
    return json();
  }
}
