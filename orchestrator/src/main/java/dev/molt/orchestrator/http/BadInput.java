package dev.molt.orchestrator.http;

/**
 * A request refused at the edge: its status, a short error, a detail naming what was wrong, and
 * the bound its refusal is counted under ({@link Refusals}; null for one that is not counted, such
 * as a body that is not JSON).
 */
final class BadInput extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String error;
  private final String countedAs;

  BadInput(int status, String error, String detail) {
    this(status, error, detail, null);
  }

  BadInput(int status, String error, String detail, String countedAs) {
    super(detail, null, false, false);
    this.status = status;
    this.error = error;
    this.countedAs = countedAs;
  }

  /** A field outside its bound or of the wrong type. */
  static BadInput field(String detail) {
    return new BadInput(400, "bad field", detail);
  }

  int status() {
    return status;
  }

  String error() {
    return error;
  }

  String detail() {
    return getMessage();
  }

  String countedAs() {
    return countedAs;
  }
}
