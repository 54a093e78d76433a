package dev.molt.protocol.release;

/**
 * Children a supervisor starts at run time on demand, one per key (one actor per game room, say),
 * all running {@code behaviour}: OTP's {@code simple_one_for_one}. The key is the child's name and
 * its start argument.
 */
public record DynamicChildren(String behaviour, Restart restart) {
  public DynamicChildren {
    restart = restart == null ? Restart.TRANSIENT : restart;
  }
}
