package dev.molt.orchestrator.http;

/** A request refused at the edge: its status, a short error and a detail naming what was wrong. */
final class BadInput extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String error;

  BadInput(int status, String error, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.error = error;
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
}
