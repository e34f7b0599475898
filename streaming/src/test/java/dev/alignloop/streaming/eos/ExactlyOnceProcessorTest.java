package dev.alignloop.streaming.eos;

import static dev.alignloop.streaming.testing.StreamingKafka.PROMPTS;
import static dev.alignloop.streaming.testing.StreamingKafka.TIMEOUT;
import static dev.alignloop.streaming.testing.StreamingKafka.caughtUp;
import static dev.alignloop.streaming.testing.StreamingKafka.producePrompts;
import static dev.alignloop.streaming.testing.StreamingKafka.readToEnd;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.schemas.avro.PromptRequest;
import dev.alignloop.streaming.StreamingException;
import dev.alignloop.streaming.testing.StreamingKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The exactly-once loop against the real embedded broker: crash, fencing, transient failures. */
@ExtendWith(KafkaBrokerExtension.class)
class ExactlyOnceProcessorTest {

  /** Every 7th prompt is a "tie": skipped, no output. */
  private static boolean isTie(String id) {
    return Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)) % 7 == 0;
  }

  /** Echoes each prompt to {@code out} with source "echo", skipping ties. */
  private static BatchHandler<PromptRequest, PromptRequest> echo(String out) {
    return BatchHandler.perRecord(r -> isTie(r.key()) ? Outcome.skip("tie")
        : Outcome.emit(out, r.key(), StreamingKafka.prompt(r.value().getId(), "echo")));
  }

  private static ProcessorBuilder<PromptRequest, PromptRequest> processor(KafkaTestCluster kafka, String in,
      String dlq, String group, String txPrefix, BatchHandler<PromptRequest, PromptRequest> handler,
      ProcessorListener listener) {
    return ExactlyOnceProcessor.<PromptRequest, PromptRequest>builder()
        .setKafka(StreamingKafka.settings(kafka))
        .setInput(in, PROMPTS.safeDeserializer())
        .setOutput(PROMPTS.serializer())
        .setGroupId(group)
        .setTransactionalId(txPrefix, "0")
        .setService("test-service")
        .setHandler(handler)
        .optMaxPollRecords(5)
        .optPollTimeout(Duration.ofMillis(100))
        .optRetryBackoff(Duration.ofMillis(10), Duration.ofMillis(200))
        .optCloseTimeout(Duration.ofSeconds(20))
        .optDeadLetterTopic(dlq)
        .optListener(listener);
  }

  /** Keys of the committed outputs, with how often each occurs. */
  private static Map<String, Long> committedKeys(KafkaTestCluster kafka, String topic) {
    return readToEnd(kafka, topic, PROMPTS.deserializer(), true).stream()
        .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
  }

  private static Map<String, Long> expectedOnce(List<String> ids) {
    return ids.stream().filter(id -> !isTie(id)).collect(Collectors.toMap(Function.identity(), id -> 1L));
  }

  @Test
  void crashMidTransactionThenRestartWithSameIdYieldsEveryOutputExactlyOnce(KafkaTestCluster kafka) {
    String in = kafka.newTopic("eos-in", 3);
    String out = kafka.newTopic("eos-out", 3);
    String dlq = kafka.newTopic("eos-dlq");
    String group = KafkaTestCluster.uniqueId("g");
    String tx = KafkaTestCluster.uniqueId("tx");
    List<String> ids = producePrompts(kafka, in, "p", 60);

    AtomicInteger calls = new AtomicInteger();
    AtomicReference<ExactlyOnceProcessor<PromptRequest, PromptRequest>> first = new AtomicReference<>();
    BatchHandler<PromptRequest, PromptRequest> echo = echo(out);
    BatchHandler<PromptRequest, PromptRequest> crashing = batch -> {
      if (calls.incrementAndGet() == 4) {
        first.get().halt(); // the loop sends this batch, adds its offsets, then "dies" before commit
      }
      return echo.handle(batch);
    };
    RecordingListener firstReport = new RecordingListener();
    first.set(processor(kafka, in, dlq, group, tx, crashing, firstReport).build());
    first.get().start();
    await().atMost(TIMEOUT).until(() -> first.get().state() == ProcessorState.HALTED);
    assertEquals(3, firstReport.batches.get(), "three batches committed before the crash");

    RecordingListener secondReport = new RecordingListener();
    try (var second = processor(kafka, in, dlq, group, tx, echo, secondReport).build().start()) {
      await().atMost(TIMEOUT).until(() -> caughtUp(kafka, group, in));
      second.close();
      assertEquals(ProcessorState.STOPPED, second.state());
    }

    assertEquals(expectedOnce(ids), committedKeys(kafka, out));
    assertEquals(60, firstReport.recordsIn.get() + secondReport.recordsIn.get(), "each input committed once");
    // Not vacuous: the crashed transaction's outputs did reach the log, and were aborted.
    int raw = readToEnd(kafka, out, PROMPTS.deserializer(), false).size();
    assertTrue(raw > expectedOnce(ids).size(), "aborted duplicates in the log: " + raw);
    assertEquals(0, readToEnd(kafka, dlq, PROMPTS.deserializer(), false).size());
  }

  @Test
  void zombieWithTheSameTransactionalIdIsFencedAndStops(KafkaTestCluster kafka) throws Exception {
    String in = kafka.newTopic("zombie-in", 1);
    String out = kafka.newTopic("zombie-out", 1);
    String dlq = kafka.newTopic("zombie-dlq");
    String group = KafkaTestCluster.uniqueId("g");
    String tx = KafkaTestCluster.uniqueId("tx");
    List<String> ids = producePrompts(kafka, in, "z", 12);

    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    BatchHandler<PromptRequest, PromptRequest> echo = echo(out);
    BatchHandler<PromptRequest, PromptRequest> stalling = batch -> {
      inHandler.countDown();
      assertTrue(release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)); // a GC pause, a network partition...
      return echo.handle(batch);
    };
    var zombie = processor(kafka, in, dlq, group, tx, stalling, ProcessorListener.NONE).build().start();
    assertTrue(inHandler.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));

    // Its replacement starts with the same id: initTransactions bumps the epoch.
    try (var successor = processor(kafka, in, dlq, group, tx, echo, ProcessorListener.NONE).build().start()) {
      await().atMost(TIMEOUT).until(() -> successor.state() == ProcessorState.RUNNING);
      release.countDown();
      await().atMost(TIMEOUT).until(() -> zombie.state().isTerminal());
      assertEquals(ProcessorState.FENCED, zombie.state(), () -> "zombie ended " + zombie.state() + ": " + zombie.failure());
      Throwable why = zombie.failure().orElseThrow();
      assertTrue(causeChain(why).stream().anyMatch(
          t -> t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException), why::toString);

      await().atMost(TIMEOUT).until(() -> caughtUp(kafka, group, in));
      assertEquals(ProcessorState.RUNNING, successor.state());
    }
    assertEquals(expectedOnce(ids), committedKeys(kafka, out));
  }

  @Test
  void transientHandlerFailureIsRetriedWithoutDeadLettersOrDuplicates(KafkaTestCluster kafka) {
    String in = kafka.newTopic("transient-in", 2);
    String out = kafka.newTopic("transient-out", 2);
    String dlq = kafka.newTopic("transient-dlq");
    String group = KafkaTestCluster.uniqueId("g");
    List<String> ids = producePrompts(kafka, in, "t", 30);

    AtomicInteger calls = new AtomicInteger();
    Map<String, Integer> seen = new HashMap<>();
    BatchHandler<PromptRequest, PromptRequest> echo = echo(out);
    BatchHandler<PromptRequest, PromptRequest> flaky = batch -> {
      batch.forEach(r -> seen.merge(r.key(), 1, Integer::sum));
      int call = calls.incrementAndGet();
      if (call == 2 || call == 3) {
        throw new IllegalStateException("reward model crashed (call " + call + ")");
      }
      return echo.handle(batch);
    };
    RecordingListener report = new RecordingListener();
    try (var p = processor(kafka, in, dlq, group, KafkaTestCluster.uniqueId("tx"), flaky, report).build().start()) {
      await().atMost(TIMEOUT).until(() -> caughtUp(kafka, group, in));
    }
    assertEquals(2, report.retries.get());
    assertTrue(seen.values().stream().anyMatch(n -> n > 1), "the failed batch was handed over again");
    assertEquals(expectedOnce(ids), committedKeys(kafka, out));
    assertEquals(0, readToEnd(kafka, dlq, PROMPTS.deserializer(), false).size(), "nothing dead-lettered");
    assertEquals(30, report.recordsIn.get());
    assertEquals(ids.stream().filter(ExactlyOnceProcessorTest::isTie).count(), report.skipped.get());
  }

  @Test
  void failedTransactionIsAbortedRewoundAndRetried(KafkaTestCluster kafka) {
    String in = kafka.newTopic("abort-in", 2);
    String out = kafka.newTopic("abort-out", 2);
    String dlq = kafka.newTopic("abort-dlq");
    String group = KafkaTestCluster.uniqueId("g");
    List<String> ids = producePrompts(kafka, in, "a", 20);

    AtomicInteger calls = new AtomicInteger();
    BatchHandler<PromptRequest, PromptRequest> echo = echo(out);
    BatchHandler<PromptRequest, PromptRequest> badTopicOnce = batch -> {
      if (calls.incrementAndGet() != 2) {
        return echo.handle(batch);
      }
      // The second batch's first output goes to a topic the broker refuses: its send fails
      // inside the transaction, after the other outputs of the batch were sent.
      List<Outcome<PromptRequest>> outcomes = new ArrayList<>(echo.handle(batch));
      outcomes.add(0, Outcome.emit("no such topic!", "x", StreamingKafka.prompt("x", "bad")));
      outcomes.remove(1);
      return outcomes;
    };
    RecordingListener report = new RecordingListener();
    try (var p = processor(kafka, in, dlq, group, KafkaTestCluster.uniqueId("tx"), badTopicOnce, report)
        .optProducerProperty("max.block.ms", 2_000).build().start()) {
      await().atMost(TIMEOUT).until(() -> caughtUp(kafka, group, in));
      assertEquals(ProcessorState.RUNNING, p.state());
    }
    assertEquals(1, report.retries.get());
    assertEquals(expectedOnce(ids), committedKeys(kafka, out));
    assertEquals(0, readToEnd(kafka, dlq, PROMPTS.deserializer(), false).size());
  }

  @Test
  void closeFinishesTheBatchInFlight(KafkaTestCluster kafka) throws Exception {
    String in = kafka.newTopic("close-in", 1);
    String out = kafka.newTopic("close-out", 1);
    String group = KafkaTestCluster.uniqueId("g");
    producePrompts(kafka, in, "k", 3);
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    BatchHandler<PromptRequest, PromptRequest> echo = echo(out);
    var p = processor(kafka, in, kafka.newTopic("close-dlq"), group, KafkaTestCluster.uniqueId("tx"), batch -> {
      inHandler.countDown();
      assertTrue(release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      return echo.handle(batch);
    }, ProcessorListener.NONE).build().start();
    assertTrue(inHandler.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    var closing = CompletableFuture.supplyAsync(() -> p.close(TIMEOUT));
    await().atMost(TIMEOUT).until(() -> p.state() == ProcessorState.STOPPING);
    assertFalse(closing.isDone(), "close waits for the batch");
    release.countDown();
    assertTrue(closing.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    assertEquals(ProcessorState.STOPPED, p.state());
    // The batch (k-0..k-2; k-0 is a tie) was committed, not abandoned.
    assertEquals(Map.of("k-1", 1L, "k-2", 1L), committedKeys(kafka, out));
    assertEquals(Map.of(new TopicPartition(in, 0), 3L), StreamingKafka.committed(kafka, group));
  }

  @Test
  void handlerBreakingItsContractFailsTheProcessor(KafkaTestCluster kafka) {
    String in = kafka.newTopic("contract-in", 1);
    producePrompts(kafka, in, "c", 3);
    BatchHandler<PromptRequest, PromptRequest> wrong = batch -> List.of(); // no outcome per input
    var p = processor(kafka, in, kafka.newTopic("contract-dlq"), KafkaTestCluster.uniqueId("g"),
        KafkaTestCluster.uniqueId("tx"), wrong, ProcessorListener.NONE).build().start();
    await().atMost(TIMEOUT).until(() -> p.state().isTerminal());
    assertEquals(ProcessorState.FAILED, p.state());
    assertInstanceOf(StreamingException.class, p.failure().orElseThrow());
  }

  @Test
  void closeBeforeStartClosesTheClients(KafkaTestCluster kafka) {
    var p = processor(kafka, kafka.newTopic("unused"), "unused-dlq", "g", "tx", echo("x"), ProcessorListener.NONE)
        .build();
    assertTrue(p.close(Duration.ofSeconds(5)));
    assertEquals(ProcessorState.STOPPED, p.state());
  }

  private static List<Throwable> causeChain(Throwable t) {
    List<Throwable> chain = new ArrayList<>();
    Set<Throwable> seen = new HashSet<>();
    for (; t != null && seen.add(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }
}
