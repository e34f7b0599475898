package dev.alignloop.trainer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.PreferenceLabel;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code checkpoint-when-idle}: a burst of labels far below {@code checkpoint-every-steps} still
 * ends in a checkpoint once the input goes quiet, holding every label of the burst; with
 * {@code passes-per-batch} each micro-batch takes several optimizer steps but its labels count once.
 */
@ExtendWith(KafkaBrokerExtension.class)
class IdleCheckpointTest {
  private static final int LABELS = 6;

  @Test
  void aQuietInputClosesTheBurstWithACheckpoint(KafkaTestCluster kafka, @TempDir Path tmp) {
    try (TrainerFixture f = new TrainerFixture(kafka, tmp)) {
      List<PreferenceLabel> labels = f.labels("idle", LABELS);
      try (ApplicationContext ctx = f.context(Map.of(
          "alignloop.trainer.checkpoint-every-steps", 1000,
          "alignloop.trainer.checkpoint-when-idle", "2s",
          "alignloop.trainer.passes-per-batch", 2))) {
        TrainerWorker worker = TrainerFixture.worker(ctx);
        worker.start();
        f.send(labels);
        await().atMost(TrainerFixture.TIMEOUT).until(() -> !f.checkpointRecords().isEmpty());
        List<Checkpoint> published = f.checkpointRecords();
        assertEquals(1, published.size(), "one checkpoint for the burst: " + published);
        Checkpoint c = published.get(0);
        assertEquals(LABELS / 2 * 2, c.getStep(), "batches of 2, two passes each");
        List<TrainedLabels.Entry> lineage = f.lineage(c.getVersion());
        assertEquals(LABELS, lineage.size(), "every label once");
        assertEquals(new HashSet<>(labels.stream().map(PreferenceLabel::getPairId).toList()),
            new HashSet<>(lineage.stream().map(TrainedLabels.Entry::pairId).toList()));
      }
    }
  }
}
