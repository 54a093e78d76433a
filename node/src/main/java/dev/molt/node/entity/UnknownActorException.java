package dev.molt.node.entity;

/** An actor address that names nothing on the node: a supervisor, child or entity type; the message says which. */
public class UnknownActorException extends IllegalArgumentException {
  public UnknownActorException(String message) {
    super(message);
  }
}
