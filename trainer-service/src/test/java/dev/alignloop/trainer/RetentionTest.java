package dev.alignloop.trainer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.diffusion.checkpoint.TrainingCheckpoint;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.CheckpointStatus;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention keeps the last K checkpoints plus every PROMOTED one (statuses read from the
 * checkpoints topic), and a restart never re-announces a version the topic knows, so the eval
 * gate's PROMOTED status is not overwritten with CANDIDATE.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RetentionTest {

  @Test
  void keepsTheLastKAndEveryPromotedAndNeverReannouncesAKnownVersion(KafkaTestCluster kafka, @TempDir Path tmp) {
    try (TrainerFixture f = new TrainerFixture(kafka, tmp)) {
      f.send(f.labels("ret", 12)); // 6 steps: checkpoints at steps 2, 4 and 6
      List<String> written = new CopyOnWriteArrayList<>();
      Map<String, Object> props = Map.of("alignloop.trainer.keep-last-checkpoints", 1);
      try (ApplicationContext ctx = f.context(props)) {
        TrainerWorker worker = TrainerFixture.worker(ctx);
        worker.addListener(new TrainerListener() {
          @Override
          public void onCheckpoint(TrainingCheckpoint checkpoint, TrainedLabels labels, boolean published) {
            written.add(checkpoint.version());
            if (written.size() == 1) { // the eval gate promotes the first checkpoint
              Checkpoint promoted = f.checkpointRecords().get(0);
              promoted.setStatus(CheckpointStatus.PROMOTED);
              promoted.setCreatedAt(Instant.now());
              f.sendRaw(List.of(new ProducerRecord<>(f.checkpointsTopic, promoted.getVersion(),
                  TrainerFixture.CHECKPOINTS.encode(f.checkpointsTopic, promoted))));
            }
          }
        });
        worker.start();
        await().atMost(TrainerFixture.TIMEOUT).until(() -> written.size() >= 3);
      }
      // The second checkpoint was neither among the last 1 nor promoted.
      assertEquals(List.of(written.get(0), written.get(2)),
          f.localCheckpoints().stream().map(TrainingCheckpoint::version).toList());

      // A restart with nothing new to train announces nothing: the PROMOTED status stands.
      int records = f.checkpointRecords().size();
      try (ApplicationContext ctx = f.context(props)) {
        TrainerWorker worker = TrainerFixture.worker(ctx);
        worker.start();
        await().atMost(TrainerFixture.TIMEOUT)
            .until(() -> worker.state() == dev.alignloop.streaming.eos.ProcessorState.RUNNING);
      }
      List<Checkpoint> after = f.checkpointRecords();
      assertEquals(records, after.size());
      Checkpoint latestOfFirst = after.stream().filter(c -> c.getVersion().equals(written.get(0)))
          .reduce((a, b) -> b).orElseThrow();
      assertEquals(CheckpointStatus.PROMOTED, latestOfFirst.getStatus());
    }
  }
}
