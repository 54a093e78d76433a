package dev.molt.protocol.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A static child of a supervisor: either a worker running {@code behaviour} with the start
 * argument {@code start}, or a nested {@code supervisor}. Exactly one of the two is set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChildSpec(String name, String behaviour, JsonNode start, Restart restart, SupervisorSpec supervisor) {

  public ChildSpec {
    restart = restart == null ? Restart.PERMANENT : restart;
  }

  public static ChildSpec worker(String name, String behaviour, JsonNode start) {
    return new ChildSpec(name, behaviour, start, Restart.PERMANENT, null);
  }

  public static ChildSpec supervisor(SupervisorSpec supervisor) {
    return new ChildSpec(supervisor.name(), null, null, Restart.PERMANENT, supervisor);
  }

  public boolean nestsSupervisor() {
    return supervisor != null;
  }
}
