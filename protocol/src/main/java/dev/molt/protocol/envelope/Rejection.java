package dev.molt.protocol.envelope;

/**
 * Payload of an {@link Envelope#REJECTED} reply: the message of type {@code type} was not
 * processed, for {@code reason}. Sent to the refused message's {@code replyTo} when it had one.
 */
public record Rejection(String type, String reason) {}
