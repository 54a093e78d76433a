package dev.molt.protocol.appup;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Explicit instructions for one neighbouring release version (OTP's {@code {Vsn, Instructions}}
 * in an {@code .appup}). They win over generated ones, and run in the order written.
 */
public record AppupEntry(String version, List<Instruction> instructions) {
  public AppupEntry {
    instructions = instructions == null ? List.of() : List.copyOf(instructions);
  }

  /** Index of the point-of-no-return instruction, or -1 when the list has none (it is implicit). */
  public int pointOfNoReturn() {
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i) instanceof Instruction.PointOfNoReturn) {
        return i;
      }
    }
    return -1;
  }

  /**
   * What the compiler cannot keep as written, each naming the instruction and its index; empty when
   * the list is valid. Mirrors systools_rc's {@code split_script} checks
   * ({@code too_many_point_of_no_return}, {@code bad_op_before_point_of_no_return}).
   */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    int point = pointOfNoReturn();
    boolean restart = instructions.stream().anyMatch(i -> i instanceof Instruction.RestartApplication r && r.all());
    for (int i = 0; i < instructions.size(); i++) {
      Instruction instruction = instructions.get(i);
      String at = "instructions[" + i + "] (" + (instruction == null ? "null" : instruction.describe()) + ")";
      if (instruction == null) {
        problems.add(at + " is empty");
      } else if (instruction instanceof Instruction.PointOfNoReturn && i != point) {
        problems.add(at + " is a second point-of-no-return (the first is instructions[" + point
            + "]); a script has one (OTP: too_many_point_of_no_return)");
      } else if (i < point && !(instruction instanceof Instruction.Apply)) {
        problems.add(at + " comes before the point-of-no-return at instructions[" + point + "]; only apply may, "
            + "since a failure there must change nothing (OTP: bad_op_before_point_of_no_return)");
      } else if (restart && (instruction instanceof Instruction.Update || instruction instanceof Instruction.UpdateSupervisor
          || instruction instanceof Instruction.RemoveBehaviour || instruction instanceof Instruction.AddApplication
          || instruction instanceof Instruction.RemoveApplication
          || instruction instanceof Instruction.RestartApplication named && !named.all())) {
        problems.add(at + " cannot go with restart-application, which restarts the whole tree on the target; "
            + "only apply may");
      } else if (instruction instanceof Instruction.RestartApplication r && (r.all() ? count(null) > 1
          : r.application().isBlank() || count(r.application()) > 1)) {
        problems.add(at + (r.all() || !r.application().isBlank() ? " is listed twice" : ": application must not be blank"));
      } else if (instruction instanceof Instruction.Update u && u.timeout() != null) {
        try {
          u.timeoutMillis();
        } catch (IllegalArgumentException e) {
          problems.add(at + ": " + e.getMessage());
        }
      }
    }
    return problems;
  }

  private long count(String application) {
    return instructions.stream()
        .filter(i -> i instanceof Instruction.RestartApplication r && Objects.equals(r.application(), application))
        .count();
  }
}
