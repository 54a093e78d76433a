package dev.molt.node.agent;

/** Why a node did not store an uploaded bundle ({@link AgentReply.UnpackRefused}); the HTTP edge maps each to its status. */
public enum UnpackFailure {
  /** The release id is stored already, with other content: a release id names one bundle forever. */
  CONFLICT,
  /** The bundle is not a release this node can load (its descriptor, its code, or its archive). */
  INVALID,
  /** The node failed while storing it (its disk, or a fault of its own); nothing was stored. */
  NOT_STORED
}
