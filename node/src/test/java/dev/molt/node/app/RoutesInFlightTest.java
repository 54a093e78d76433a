package dev.molt.node.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.http.javadsl.model.HttpResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.molt.node.entity.BankNode;
import dev.molt.node.testing.AppPort;
import dev.molt.protocol.control.InstallMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An install swaps the application routes (docs/app-http.md): a request held open inside 1.0.0's
 * routes (waiting on a gate) while 2.0.0 is installed and its routes swapped in finishes with 1.0.0's
 * answer, reaching the account on its new code; a new request gets 2.0.0's routes; requests sent
 * all through the install are all answered 200, none 5xx; and 1.0.0 cannot be purged (its loader
 * closed) while a request is in flight on its routes, only once they ended.
 */
class RoutesInFlightTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @EnumSource(InstallMode.class)
  void aRequestInFlightFinishesOnTheRoutesItStartedOn(InstallMode mode) throws Exception {
    try (BankNode node = BankNode.runningV1()) {
      AppPort port = AppPort.started(node.molt.kit.system());
      port.awaitServing(BankNode.V1);
      node.deposit("acc-1", 10);
      assertEquals("1.0.0", read(port, port.answer("/accounts/acc-1")).path("routes").asText());

      String gateName = "molt.test.gate." + mode;
      CompletableFuture<String> gate = new CompletableFuture<>();
      System.getProperties().put(gateName, gate);
      try {
        CompletionStage<HttpResponse> held = port.send("/accounts/acc-1/after/" + gateName);
        AtomicBoolean installing = new AtomicBoolean(true);
        List<CompletionStage<HttpResponse>> during = new ArrayList<>();
        // A client that sends its next request once the last one is answered (an open loop outran a
        // loaded 2-core machine: its backlog, not the swap, made asks time out).
        Thread load = new Thread(() -> {
          for (int i = 0; installing.get(); i++) {
            CompletionStage<HttpResponse> response = port.send("/accounts/acc-" + (i % 20));
            during.add(response);
            response.toCompletableFuture().exceptionally(failure -> null).join();
          }
        });
        load.start();
        node.install(BankNode.V2, mode);
        port.awaitServing(BankNode.V2);
        installing.set(false);
        load.join();

        assertFalse(held.toCompletableFuture().isDone(), "the held request is still in flight after the swap");
        IllegalStateException purge = assertThrows(IllegalStateException.class, () -> node.molt.registry().purge(BankNode.V1));
        assertTrue(purge.getMessage().startsWith("release bank-1.0.0 is still used by "),
            "no purge closes 1.0.0's loader under a request in flight on its routes: " + purge.getMessage());
        JsonNode fresh = read(port, port.answer("/accounts/acc-1"));
        assertEquals("2.0.0", fresh.path("routes").asText(), "a new request gets the new routes: " + fresh);
        assertEquals(2, fresh.path("account").path("version").asInt());

        gate.complete("open");
        JsonNode old = read(port, AppPort.await(held));
        assertEquals("1.0.0", old.path("routes").asText(), "finished on the routes it started on: " + old);
        assertEquals(2, old.path("account").path("version").asInt(), "reaching the account on its new code");
        assertEquals(10, old.path("account").path("balance").asLong(), "with its state");

        Map<String, Integer> answeredBy = new TreeMap<>();
        for (CompletionStage<HttpResponse> response : during) {
          answeredBy.merge(read(port, AppPort.await(response)).path("routes").asText(), 1, Integer::sum);
        }
        assertTrue(!during.isEmpty() && answeredBy.keySet().stream().allMatch(List.of("1.0.0", "2.0.0")::contains),
            "every request during the install answered 200 by one of the two releases' routes: " + answeredBy);
        node.molt.registry().purge(BankNode.V1);
        assertEquals("2.0.0", read(port, port.answer("/accounts/acc-1")).path("routes").asText(), "1.0.0 purged once its requests ended");
      } finally {
        System.getProperties().remove(gateName);
      }
    }
  }

  /** A 200 response's JSON body (AppPort.body fails on any other status, naming it). */
  private static JsonNode read(AppPort port, HttpResponse response) throws Exception {
    return JSON.readTree(port.body(response));
  }
}
