package dev.alignloop.trainer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.schemas.avro.PreferenceLabel;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trainer slower than its input: labels wait in Kafka as lag, the records buffered in the
 * process stay bounded by {@code max-poll-records + batch-size}, and nothing is dropped.
 */
@ExtendWith(KafkaBrokerExtension.class)
class BackPressureTest {
  private static final int LABELS = 60;
  private static final int BATCH = 2;
  private static final int MAX_POLL = 4;

  @Test
  void aSlowTrainerBuffersABoundedNumberOfLabelsAndDropsNone(KafkaTestCluster kafka, @TempDir Path tmp) {
    try (TrainerFixture f = new TrainerFixture(kafka, tmp)) {
      List<PreferenceLabel> labels = f.labels("bp", LABELS);
      f.send(labels);
      Semaphore gate = new Semaphore(0);
      List<StepReport> steps = new CopyOnWriteArrayList<>();
      try (ApplicationContext ctx = f.context(Map.of("alignloop.trainer.max-poll-records", MAX_POLL,
          "alignloop.trainer.checkpoint-every-steps", 1000))) {
        TrainerWorker worker = TrainerFixture.worker(ctx);
        worker.addListener(new TrainerListener() {
          @Override
          public void onStep(StepReport step) {
            steps.add(step);
            gate.acquireUninterruptibly(); // the slow part: each step waits for the test's permit
          }
        });
        worker.start();
        int maxBuffered = 0;
        for (int i = 1; i <= 10; i++) {
          int n = i;
          await().atMost(TrainerFixture.TIMEOUT).until(() -> steps.size() >= n);
          // The training thread is parked inside step i: the buffer cannot change under us.
          int buffered = worker.buffered();
          maxBuffered = Math.max(maxBuffered, buffered);
          assertTrue(buffered <= MAX_POLL + BATCH, "buffered " + buffered + " at step " + i);
          int handedOut = steps.stream().mapToInt(s -> s.labels().size()).sum();
          assertTrue(handedOut + buffered < LABELS / 2, "the rest waits in Kafka: " + (handedOut + buffered));
          gate.release();
        }
        gate.release(10_000);
        await().atMost(TrainerFixture.TIMEOUT)
            .until(() -> steps.stream().mapToInt(s -> s.labels().size()).sum() >= LABELS);
        assertTrue(maxBuffered <= MAX_POLL + BATCH);
      }
      List<String> trained = steps.stream().flatMap(s -> s.pairIds().stream()).toList();
      assertEquals(LABELS, trained.size(), "none twice");
      assertEquals(new HashSet<>(labels.stream().map(PreferenceLabel::getPairId).toList()), new HashSet<>(trained));
    }
  }
}
