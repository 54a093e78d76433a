package dev.molt.protocol.appup;

import java.util.List;

/**
 * Explicit instructions for one neighbouring release version (OTP's {@code {Vsn, Instructions}}
 * in an {@code .appup}). They win over generated ones.
 */
public record AppupEntry(String version, List<Instruction> instructions) {
  public AppupEntry {
    instructions = instructions == null ? List.of() : List.copyOf(instructions);
  }
}
