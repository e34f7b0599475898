package dev.alignloop.trainer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.common.blob.StoredBlob;
import dev.alignloop.schemas.avro.BlobRef;
import dev.alignloop.schemas.avro.DeadLetter;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.streaming.eos.ProcessorState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Labels that can never train go to the DLQ with their reason; the good ones around them train. */
@ExtendWith(KafkaBrokerExtension.class)
class BadLabelsTest {

  @Test
  void badLabelsAreDeadLetteredWithTheirReasonAndTrainingContinues(KafkaTestCluster kafka, @TempDir Path tmp) {
    try (TrainerFixture f = new TrainerFixture(kafka, tmp)) {
      BlobRef good = f.png(1, true);
      BlobRef other = f.png(2, false);
      StoredBlob notPng = f.blobs.put("definitely not a PNG".getBytes(StandardCharsets.UTF_8), "image/png");
      BlobRef big = f.png(TrainerFixture.image(32, 3, true));
      Map<String, String> expected = new LinkedHashMap<>(); // pair id (key) -> reason code
      List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
      List<String> valid = new ArrayList<>();
      int i = 0;
      for (PreferenceLabel l : f.labels("ok", 4)) {
        valid.add(l.getPairId());
        records.add(record(f, l));
        PreferenceLabel bad = switch (i++) {
          case 0 -> TrainerFixture.label("missing", "a red circle", copy(good,
              f.blobs.baseUri() + "/00/" + "00".repeat(32) + ".png", "00".repeat(32)), other);
          case 1 -> TrainerFixture.label("tampered", "a red circle", good, copy(other, other.getUri(), "ff".repeat(32)));
          case 2 -> TrainerFixture.label("not-png", "a red circle",
              copy(good, notPng.uri(), notPng.sha256()), other);
          default -> TrainerFixture.label("too-big", "a red circle", big, other);
        };
        expected.put(bad.getPairId(), switch (bad.getPairId()) {
          case "missing" -> LabelLoader.BLOB_MISSING;
          case "tampered" -> LabelLoader.BLOB_CHECKSUM;
          case "not-png" -> LabelLoader.IMAGE_DECODE;
          default -> LabelLoader.IMAGE_SIZE;
        });
        records.add(record(f, bad));
      }
      PreferenceLabel unknownWords = TrainerFixture.label("unknown-words", "a purple hexagon", good, other);
      PreferenceLabel nanMargin = TrainerFixture.label("nan-margin", "a red circle", good, other);
      nanMargin.setMargin(Double.NaN);
      records.add(record(f, unknownWords));
      records.add(record(f, nanMargin));
      records.add(new ProducerRecord<>(f.labelsTopic, "garbage", new byte[] {1, 2, 3, 4}));
      records.add(new ProducerRecord<>(f.labelsTopic, "tombstone", null));
      expected.put("unknown-words", LabelLoader.PROMPT);
      expected.put("nan-margin", LabelLoader.MARGIN);
      expected.put("garbage", ""); // the schema error's own words; checked by its class below
      expected.put("tombstone", "null value");
      f.sendRaw(records);

      List<String> dlqCodes = new CopyOnWriteArrayList<>();
      List<StepReport> steps = new CopyOnWriteArrayList<>();
      // A short linger: the odd label at the end trains in a partial micro-batch.
      try (ApplicationContext ctx = f.context(Map.of("alignloop.trainer.batch-linger", "500ms"))) {
        TrainerWorker worker = TrainerFixture.worker(ctx);
        worker.addListener(new TrainerListener() {
          @Override
          public void onStep(StepReport step) {
            steps.add(step);
          }

          @Override
          public void onDeadLetter(String code, String reason, String coordinates) {
            dlqCodes.add(code);
          }
        });
        worker.start();
        await().atMost(TrainerFixture.TIMEOUT).until(() -> f.deadLetters().size() >= expected.size()
            && steps.stream().mapToInt(s -> s.labels().size()).sum() >= valid.size());
        assertEquals(ProcessorState.RUNNING, worker.state());
        double counted = ctx.getBean(MeterRegistry.class).find("alignloop.dlq").tag("service", TrainerWorker.SERVICE)
            .counters().stream().mapToDouble(c -> c.count()).sum();
        assertEquals(expected.size(), counted, 0.0);
        // More good labels after the bad ones still train.
        f.send(f.labels("later", 3));
        await().atMost(TrainerFixture.TIMEOUT)
            .until(() -> steps.stream().mapToInt(s -> s.labels().size()).sum() >= valid.size() + 3);
      } // graceful close: final checkpoint covering everything consumed

      List<DeadLetter> letters = f.deadLetters();
      assertEquals(expected.size(), letters.size(), letters.toString());
      for (DeadLetter d : letters) {
        String key = StandardCharsets.UTF_8.decode(d.getKey()).toString();
        String code = expected.get(key);
        assertTrue(d.getReason().toLowerCase().contains(code.toLowerCase()), key + ": " + d.getReason());
        assertEquals(f.labelsTopic, d.getSourceTopic());
        assertEquals(TrainerWorker.SERVICE, d.getService());
        if (key.equals("garbage")) {
          assertTrue(d.getErrorClass().endsWith("SchemaException"), d.getErrorClass());
        }
        if (!key.equals("tombstone")) {
          assertTrue(d.getPayload() != null && d.getPayload().remaining() > 0, key);
        }
      }
      assertEquals(8, dlqCodes.size(), dlqCodes.toString());
      Set<String> trained = new HashSet<>();
      steps.forEach(s -> trained.addAll(s.pairIds()));
      Set<String> want = new HashSet<>(valid);
      want.add("later-0");
      want.add("later-1");
      want.add("later-2");
      assertEquals(want, trained);
      assertTrue(steps.stream().anyMatch(s -> s.labels().size() == 1), "a partial micro-batch after the linger");

      // The final checkpoint's lineage accounts for every record: trained or dead-lettered, once.
      var all = f.localCheckpoints();
      String last = all.get(all.size() - 1).version();
      List<String> lineageTrained = f.lineage(last).stream().map(TrainedLabels.Entry::pairId).toList();
      assertEquals(want, new HashSet<>(lineageTrained));
      assertEquals(want.size(), lineageTrained.size());
      List<String> dead = new ArrayList<>();
      for (String v = last; v != null; ) {
        TrainedLabels t = TrainedLabels.read(f.checkpoints.resolve(v));
        t.deadLettered().forEach(e -> dead.add(e.pairId()));
        v = t.parentVersion();
      }
      assertEquals(expected.keySet(), new HashSet<>(dead));
      assertEquals(expected.size(), dead.size());
    }
  }

  private static ProducerRecord<String, byte[]> record(TrainerFixture f, PreferenceLabel l) {
    return new ProducerRecord<>(f.labelsTopic, l.getPairId(), TrainerFixture.LABELS.encode(f.labelsTopic, l));
  }

  private static BlobRef copy(BlobRef ref, String uri, String sha256) {
    return BlobRef.newBuilder(ref).setUri(uri).setSha256(sha256).build();
  }
}
