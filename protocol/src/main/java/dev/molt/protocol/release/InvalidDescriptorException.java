package dev.molt.protocol.release;

import java.util.List;

/** A release descriptor that cannot be used; the message lists every problem found. */
public final class InvalidDescriptorException extends Exception {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public InvalidDescriptorException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
