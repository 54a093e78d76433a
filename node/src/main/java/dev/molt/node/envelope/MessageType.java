package dev.molt.node.envelope;

import dev.molt.node.spi.MessageNames;

/**
 * A message type as stable code sees it: the envelope type name, the schema version it writes, and
 * the stable class its payload is read into. A behaviour's reply record and a stable record of the
 * same simple name meet under the same derived name:
 *
 * <pre>{@code
 * static final MessageType<Increment> INCREMENT = MessageType.of("increment", 1, Increment.class);
 * static final MessageType<AccountView> VIEW = MessageType.of(AccountView.class); // "account-view"
 * AccountView view = envelopes.ask(account, VIEW, replyTo -> envelopes.of(GET, new Get(replyTo)), timeout)
 *     .toCompletableFuture().join();
 * }</pre>
 */
public record MessageType<T>(String name, int schemaVersion, Class<T> payloadType) {

  public static <T> MessageType<T> of(String name, int schemaVersion, Class<T> payloadType) {
    return new MessageType<>(name, schemaVersion, payloadType);
  }

  /** Named from the class ({@link MessageNames#nameOf}), in schema 1. */
  public static <T> MessageType<T> of(Class<T> payloadType) {
    return of(MessageNames.nameOf(payloadType), 1, payloadType);
  }
}
