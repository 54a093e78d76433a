package dev.molt.testbundle.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.node.spi.MessageName;
import dev.molt.node.spi.MoltBehaviour;
import dev.molt.node.spi.Receive;
import dev.molt.node.spi.ReleaseJson;
import dev.molt.node.spi.Version;

/** Says its version on the class too; ledger-2.9.0's descriptor disagrees and is refused. */
@Version(2)
public final class Audit extends MoltBehaviour<Audit.State, Audit.Msg> {

  public record State(long entries) {}

  public sealed interface Msg {}

  public record Entry(String text) implements Msg {}

  /** Keeps the name older clients use. */
  @MessageName("audit.flush")
  public record FlushAll() implements Msg {}

  public Audit() {
    super(State.class, Msg.class);
  }

  @Override
  public State initialState(JsonNode startArgument, ReleaseJson json) {
    return new State(0);
  }

  @Override
  protected Receive<State, Msg> createReceive() {
    return newReceiveBuilder()
        .on(Entry.class, (ctx, s, m) -> new State(s.entries() + 1))
        .on(FlushAll.class, (ctx, s, m) -> new State(0))
        .build();
  }
}
