package dev.molt.protocol.control;

import dev.molt.protocol.MoltSerializable;

/**
 * What the orchestrator (or another agent) asks a node's cluster agent, over the cluster. Control
 * protocol 5 ({@link ControlMessages.ApplySchemaFloor} is new in 4, {@code NodeStatus.applications} in 5); {@link NodeStatusMigration}
 * says how the shape of a status differs between versions.
 */
public interface AgentRequest extends MoltSerializable {}
