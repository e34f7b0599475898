package dev.alignloop.trainer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.diffusion.checkpoint.CheckpointVerifier;
import dev.alignloop.diffusion.checkpoint.TrainingCheckpoint;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.CheckpointStatus;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.streaming.eos.ProcessorState;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.ApplicationContext;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The service wired by Micronaut: labels in, verified checkpoints and Checkpoint records out. */
@ExtendWith(KafkaBrokerExtension.class)
class TrainerServiceTest {

  @Test
  void labelsInVerifiedCheckpointsAndRecordsOut(KafkaTestCluster kafka, @TempDir Path tmp) throws Exception {
    try (TrainerFixture f = new TrainerFixture(kafka, tmp)) {
      List<PreferenceLabel> labels = f.labels("pair", 8);
      f.send(labels);
      List<StepReport> steps = new CopyOnWriteArrayList<>();
      try (ApplicationContext ctx = f.context(Map.of())) {
        TrainerWorker worker = TrainerFixture.worker(ctx);
        worker.addListener(new TrainerListener() {
          @Override
          public void onStep(StepReport step) {
            steps.add(step);
          }
        });
        worker.start();
        // 8 labels, 2 per step, a checkpoint every 2 steps: checkpoints at steps 2 and 4.
        await().atMost(TrainerFixture.TIMEOUT).until(() -> f.checkpointRecords().size() >= 2);
        assertEquals(ProcessorState.RUNNING, worker.state());

        String scrape = ctx.getBean(PrometheusMeterRegistry.class).scrape();
        for (String metric : List.of("alignloop_trainer_loss", "alignloop_trainer_implicit_accuracy",
            "alignloop_trainer_mse{model=\"policy\",side=\"w\"}", "alignloop_trainer_mse{model=\"ref\",side=\"l\"}",
            "alignloop_trainer_lr", "alignloop_trainer_step ", "alignloop_trainer_step_seconds_count",
            "alignloop_trainer_checkpoints_total", "alignloop_trainer_pairs_total")) {
          assertTrue(scrape.contains(metric), metric + " missing from\n" + scrape);
        }
      }
      // The context closed gracefully: no steps since the last checkpoint, so no extra one.
      List<Checkpoint> records = f.checkpointRecords();
      assertEquals(2, records.size(), records.toString());
      assertEquals(4, steps.size());
      assertEquals(labels.stream().map(PreferenceLabel::getPairId).collect(Collectors.toSet()),
          steps.stream().flatMap(s -> s.pairIds().stream()).collect(Collectors.toSet()));

      Checkpoint last = records.get(1);
      assertEquals(4, last.getStep());
      assertEquals(records.get(0).getVersion(), last.getParentVersion());
      assertEquals(null, records.get(0).getParentVersion());
      assertEquals(CheckpointStatus.CANDIDATE, last.getStatus());
      // The consumed offsets are exactly the end of every partition: all 8 labels, nothing more.
      Map<Integer, Long> consumed = new HashMap<>();
      last.getConsumedOffsets().forEach(o -> consumed.put(o.getPartition(), o.getOffset()));
      Map<Integer, Long> end = new HashMap<>(f.labelEndOffsets());
      end.values().removeIf(o -> o == 0);
      assertEquals(end, consumed);
      for (String m : List.of("loss", "implicit_acc", "model_mse_w", "model_mse_l", "ref_mse_w", "ref_mse_l", "lr",
          "step_time", "pairs_seen", "grad_norm")) {
        assertTrue(last.getMetrics().containsKey(m), m + " missing: " + last.getMetrics());
      }
      last.getMetrics().forEach((k, v) -> assertTrue(Double.isFinite(v), k + " = " + v));
      assertEquals(8.0, last.getMetrics().get("pairs_seen"));

      TrainingCheckpoint local = f.localCheckpoints().get(1);
      assertEquals(last.getVersion(), local.version());
      assertTrue(CheckpointVerifier.verify(local.dir()).ok(), CheckpointVerifier.verify(local.dir()).describe());
      assertEquals(local.sha256(), last.getSha256());
      assertEquals(local.dir().toAbsolutePath().normalize(), Path.of(URI.create(last.getUri())));
      assertTrue(java.nio.file.Files.isRegularFile(local.dir().resolve("unet/diffusion_pytorch_model.safetensors")));
      assertTrue(java.nio.file.Files.isRegularFile(local.dir().resolve("model_index.json")));
      assertEquals(Set.copyOf(labels.stream().map(PreferenceLabel::getPairId).toList()),
          Set.copyOf(f.lineage(local.version()).stream().map(TrainedLabels.Entry::pairId).toList()));

      // The group's committed offsets (lag monitoring) equal the checkpoint's.
      try (Admin admin = kafka.admin()) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(f.group).partitionsToOffsetAndMetadata().get();
        Map<Integer, Long> byPartition = new HashMap<>();
        committed.forEach((tp, om) -> byPartition.put(tp.partition(), om.offset()));
        assertEquals(consumed, byPartition);
      }
    }
  }
}
