package dev.molt.node.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** An install step's fan-out: every target answered, in order, never more than the window asked at once. */
class AsksTest {
  private static final ActorTestKit kit = ActorTestKit.create();

  record Ask(ActorRef<String> replyTo) {}

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void neverMoreThanTheWindowOutstandingAndEveryAnswerInTargetOrder() throws Exception {
    TestProbe<ActorRef<String>> asked = kit.createTestProbe();
    List<ActorRef<Ask>> targets = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      int index = i;
      // Each target tells the probe it was asked and answers only when the test says so.
      targets.add(kit.spawn(Behaviors.receiveMessage((Ask a) -> {
        asked.getRef().tell(a.replyTo().narrow());
        return Behaviors.same();
      })));
    }
    List<String> names = IntStream.range(0, 10).mapToObj(i -> "t" + i).toList();
    Asks asks = new Asks(kit.system(), Duration.ofSeconds(30), 3);
    CompletableFuture<List<Asks.Answer<String>>> all =
        CompletableFuture.supplyAsync(() -> asks.<Ask, String>all(targets, names, Ask::new));

    List<ActorRef<String>> waiting = new ArrayList<>(asked.receiveSeveralMessages(3));
    asked.expectNoMessage(Duration.ofMillis(300));
    int answered = 0;
    while (answered < 10) {
      waiting.remove(0).tell("answer");
      answered++;
      if (answered <= 7) {
        waiting.add(asked.receiveMessage()); // one answer lets exactly one more ask out
      }
      assertTrue(waiting.size() <= 3, "at most 3 outstanding, saw " + waiting.size());
    }

    List<Asks.Answer<String>> answers = all.get();
    assertEquals(names, answers.stream().map(Asks.Answer::target).toList());
    answers.forEach(a -> {
      assertEquals("answer", a.reply());
      assertNull(a.error());
    });
  }

  @Test
  void aSilentTargetIsAnErrorAndTheOthersStillAnswer() {
    Behavior<Ask> echo = Behaviors.receiveMessage(a -> {
      a.replyTo().tell("ok");
      return Behaviors.same();
    });
    List<ActorRef<Ask>> targets = List.of(kit.spawn(echo), kit.spawn(echo), kit.spawn(Behaviors.<Ask>ignore()));
    Asks asks = new Asks(kit.system(), Duration.ofMillis(500), 1);

    // The step's timeout bounds the whole fan-out: the call returns although one target never answers.
    List<Asks.Answer<String>> answers = asks.all(targets, List.of("a", "b", "silent"), Ask::new);

    assertEquals("ok", answers.get(0).reply());
    assertEquals("ok", answers.get(1).reply());
    assertNull(answers.get(2).reply());
    assertEquals("no answer within 500 ms (TimeoutException)", answers.get(2).error());
  }

  @Test
  void aLongRunOfStoppedTargetsFailsFastAndTheLiveOneStillAnswers() {
    // An ask to a stopped actor fails inside the call that sends it; thousands in a row must not
    // nest (a recursion overflowed the stack at ~750 and lost a target).
    Behavior<Ask> echo = Behaviors.receiveMessage(a -> {
      a.replyTo().tell("ok");
      return Behaviors.same();
    });
    List<ActorRef<Ask>> targets = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      ActorRef<Ask> stopped = kit.spawn(echo);
      kit.stop(stopped);
      targets.add(stopped);
    }
    targets.add(kit.spawn(echo));
    List<String> names = IntStream.range(0, targets.size()).mapToObj(i -> "t" + i).toList();

    List<Asks.Answer<String>> answers = new Asks(kit.system(), Duration.ofSeconds(30), 10).all(targets, names, Ask::new);

    assertEquals("ok", answers.get(3000).reply(), answers.get(3000).toString());
    for (int i = 0; i < 3000; i++) {
      assertTrue(answers.get(i).error() != null && answers.get(i).error().contains("TimeoutException"),
          answers.get(i).toString());
    }
  }

  @Test
  void nothingIsSentAfterTheStepsTimeRanOut() {
    TestProbe<String> late = kit.createTestProbe();
    ActorRef<Ask> recorder = kit.spawn(Behaviors.receiveMessage((Ask a) -> {
      late.getRef().tell("asked");
      return Behaviors.same();
    }));
    // Answers 200 ms after the step's time is up: its answer frees the window for the recorder.
    Behavior<Ask> slow = Behaviors.withTimers(timers -> Behaviors.receiveMessage((Ask a) -> {
      timers.startSingleTimer(a, Duration.ofMillis(500));
      return Behaviors.receiveMessage(again -> {
        a.replyTo().tell("late");
        return Behaviors.same();
      });
    }));
    List<ActorRef<Ask>> targets = List.of(kit.spawn(slow), recorder);

    // Window 1: the recorder's turn comes only with the slow target's answer, after the step's time.
    List<Asks.Answer<String>> answers =
        new Asks(kit.system(), Duration.ofMillis(300), 1).all(targets, List.of("slow", "recorder"), Ask::new);

    assertEquals("no answer within 300 ms (TimeoutException)", answers.get(0).error());
    assertEquals("no answer within 300 ms (TimeoutException)", answers.get(1).error());
    late.expectNoMessage(Duration.ofMillis(700));
  }

  @Test
  void nothingIsSentAfterTheCallerStoppedWaiting() throws Exception {
    TestProbe<String> late = kit.createTestProbe();
    ActorRef<Ask> recorder = kit.spawn(Behaviors.receiveMessage((Ask a) -> {
      late.getRef().tell("asked");
      return Behaviors.same();
    }));
    TestProbe<ActorRef<String>> first = kit.createTestProbe();
    ActorRef<Ask> held = kit.spawn(Behaviors.receiveMessage((Ask a) -> {
      first.getRef().tell(a.replyTo());
      return Behaviors.same();
    }));
    // Window 1, and a step's time far off: only the caller's giving up (an interrupt) closes the fan-out.
    CompletableFuture<List<Asks.Answer<String>>> answers = new CompletableFuture<>();
    Thread caller = new Thread(() -> answers.complete(
        new Asks(kit.system(), Duration.ofSeconds(30), 1).all(List.of(held, recorder), List.of("held", "recorder"), Ask::new)));
    caller.start();
    ActorRef<String> heldReply = first.receiveMessage();
    caller.interrupt();
    assertEquals("interrupted while waiting for an answer", answers.get(10, TimeUnit.SECONDS).get(1).error());

    heldReply.tell("late"); // frees the window: the recorder would be asked now if closing did not stop it
    late.expectNoMessage(Duration.ofMillis(500));
  }
}
