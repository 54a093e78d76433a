package dev.molt.node.host;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.molt.protocol.release.ReleaseId;
import java.time.Duration;

/**
 * The host's control protocol, OTP's {@code sys} module for an upgradable actor. Every command is
 * answered with a {@link HostReply}; a refused command gets {@link HostReply.Failed} with the cause
 * and changes nothing.
 */
public sealed interface HostCommand {

  ActorRef<HostReply> replyTo();

  /** {@code sys:suspend}: from now on user messages are stashed (bounded), not handled. */
  record Suspend(ActorRef<HostReply> replyTo) implements HostCommand {}

  /** {@code sys:resume}: stashed messages are replayed in arrival order, then new ones follow. */
  record Resume(ActorRef<HostReply> replyTo) implements HostCommand {}

  /**
   * {@code sys:get_state}, as JSON. It crosses nodes (sent to a sharded entity from any node); an
   * entity that does not run answers {@link HostReply.Reason#NOT_RUNNING} and is not started.
   */
  record GetState(ActorRef<HostReply> replyTo) implements HostCommand, dev.molt.protocol.MoltSerializable {}

  /** {@code sys:replace_state}: the JSON must decode to this version's state and pass its validation. */
  record ReplaceState(JsonNode state, ActorRef<HostReply> replyTo) implements HostCommand {}

  /** Which release and version the host runs, whether it is suspended, and its counters. */
  record GetStatus(ActorRef<HostReply> replyTo) implements HostCommand {}

  /**
   * {@code sys:change_code} on a suspended host: migrate the state to {@code target}'s version of
   * this behaviour (up or down, chained through loaded versions when needed) and run on it.
   *
   * @param extra OTP's {@code Extra}, given to every migration step
   * @param budget longest the migration may take; null for {@code molt.host.migration-budget}
   */
  record ChangeCode(ReleaseId target, JsonNode extra, Duration budget, ActorRef<HostReply> replyTo)
      implements HostCommand {
    public ChangeCode {
      extra = extra == null ? JsonNodeFactory.instance.objectNode() : extra;
    }

    public ChangeCode(ReleaseId target, JsonNode extra, ActorRef<HostReply> replyTo) {
      this(target, extra, null, replyTo);
    }
  }

  /**
   * {@code sys:suspend} for a code change prepared outside the host: suspends as {@link Suspend}
   * does, and answers {@link HostReply.Suspended} with what the migration reads (code, state and
   * carried fields, which a suspended host does not change). Local only.
   */
  record SuspendForChange(ActorRef<HostReply> replyTo) implements HostCommand {}

  /**
   * {@code sys:change_code} on a suspended host with its migration prepared from what it lent
   * ({@link CodeChange#prepare}); a host whose state was replaced since, or whose migration was not
   * prepared, migrates itself as {@link ChangeCode} does. With {@code resume}, {@code sys:resume}
   * follows in the same message once the change succeeded, answered {@link HostReply.Done} with the
   * pause; otherwise {@link HostReply.Changed}.
   */
  record ChangeCodePrepared(CodeChange.Prepared prepared, boolean resume, ActorRef<HostReply> replyTo)
      implements HostCommand {}

  /**
   * Suspend, change code and resume, on a running host: it stashes what arrives while its
   * migration runs on a release-code thread, then switches and replays the stash on the new code.
   */
  record Swap(ReleaseId target, JsonNode extra, Duration budget, ActorRef<HostReply> replyTo)
      implements HostCommand {
    public Swap {
      extra = extra == null ? JsonNodeFactory.instance.objectNode() : extra;
    }

    public Swap(ReleaseId target, JsonNode extra, ActorRef<HostReply> replyTo) {
      this(target, extra, null, replyTo);
    }
  }
}
