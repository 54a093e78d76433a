package dev.molt.protocol.release;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One application of a release (OTP's {@code .app} with its start type in the {@code .rel}): its
 * own supervision tree, started and stopped as a unit. Installs add the applications new in the
 * target and remove the ones it drops ({@code add_application} / {@code remove_application}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApplicationSpec(String name, StartType startType, SupervisorSpec supervision) {

  public ApplicationSpec {
    startType = startType == null ? StartType.PERMANENT : startType;
  }
}
