package dev.molt.node.supervision;

import dev.molt.protocol.release.SupervisorSpec;
import java.util.List;

public sealed interface SupervisorReply {

  record Done(String supervisor, String what) implements SupervisorReply {}

  record Refused(String supervisor, String what, String reason) implements SupervisorReply {}

  record Description(String supervisor, SupervisorSpec spec, List<String> running) implements SupervisorReply {}
}
