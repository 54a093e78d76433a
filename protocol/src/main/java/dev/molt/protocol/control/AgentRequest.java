package dev.molt.protocol.control;

import dev.molt.protocol.MoltSerializable;

/**
 * What the orchestrator (or another agent) asks a node's cluster agent, over the cluster. Version
 * 1 of the control protocol; {@link NodeStatusMigration} says how versions differ.
 */
public interface AgentRequest extends MoltSerializable {}
