package dev.molt.testbundle.counter;

/** Compiled, then deleted from the jar by node/pom.xml: using it throws NoClassDefFoundError. */
final class Missing {
  private Missing() {}

  static long touch() {
    return 1;
  }
}
