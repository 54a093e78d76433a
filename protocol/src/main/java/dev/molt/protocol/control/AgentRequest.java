package dev.molt.protocol.control;

import dev.molt.protocol.MoltSerializable;

/**
 * What the orchestrator (or another agent) asks a node's cluster agent, over the cluster. Control
 * protocol 4 ({@link ControlMessages.ApplySchemaFloor} is new in it); {@link NodeStatusMigration}
 * says how the shape of a status differs between versions.
 */
public interface AgentRequest extends MoltSerializable {}
