package dev.alignloop.scorer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.common.image.Png;
import dev.alignloop.schemas.avro.BlobRef;
import dev.alignloop.schemas.avro.DeadLetter;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.scorer.bench.ScorerBench;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input between valid pairs: each bad record becomes one dead letter with its reason and
 * source offset, and the valid pairs around it are labelled.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ScorerBadInputTest {

  @Test
  void badPairsGoToTheDlqAndTheValidOnesBehindThemAreLabelled(KafkaTestCluster kafka, @TempDir Path dir)
      throws IOException {
    try (ScorerFixture f = new ScorerFixture(kafka, dir, 1)) {
      String prompt = "a green square";
      List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
      List<String> expectedReasons = new ArrayList<>(); // by offset; null = a valid pair
      List<String> valid = new ArrayList<>();

      // missing: stored, then deleted
      BlobRef missing = f.png(32, 11);
      f.blobs.delete(missing.getUri());
      // tampered: the file under its content address now holds other bytes
      BlobRef tampered = f.png(32, 12);
      Files.write(Path.of(URI.create(tampered.getUri())), Png.encode(ScorerBench.image(32, 99)));
      // corrupt: a truncated PNG, stored with its own (matching) checksum
      byte[] full = Png.encode(ScorerBench.image(32, 13));
      BlobRef corrupt = stored(f, Arrays.copyOf(full, full.length / 2), 32, 32, "image/png");
      // wrong size: a real 16x16 PNG declared as 32x32
      BlobRef small = f.png(16, 14);
      BlobRef wrongSize = ref(small.getUri(), small.getSha256(), 32, 32, "image/png");
      // not a PNG by media type
      BlobRef gif = ref(f.png(32, 15).getUri(), "00".repeat(32), 32, 32, "image/gif");
      // a URI outside the store
      BlobRef outside = ref("file:/etc/hostname", "00".repeat(32), 32, 32, "image/png");

      addValid(f, records, expectedReasons, valid, 0, prompt);
      records.add(new ProducerRecord<>(f.pairsTopic, "garbage", "not avro at all".getBytes(StandardCharsets.UTF_8)));
      expectedReasons.add("");
      addValid(f, records, expectedReasons, valid, 1, prompt);
      addBad(f, records, expectedReasons, "bad-missing", f.png(32, 16), missing, "blob.missing");
      addBad(f, records, expectedReasons, "bad-tampered", tampered, f.png(32, 17), "blob.checksum");
      addBad(f, records, expectedReasons, "bad-corrupt", corrupt, f.png(32, 18), "image.decode");
      addValid(f, records, expectedReasons, valid, 2, prompt);
      addBad(f, records, expectedReasons, "bad-size", f.png(32, 19), wrongSize, "image.decode");
      addBad(f, records, expectedReasons, "bad-type", gif, f.png(32, 20), "image.media-type");
      addBad(f, records, expectedReasons, "bad-uri", outside, f.png(32, 21), "blob.uri");
      records.add(new ProducerRecord<>(f.pairsTopic, "tombstone", null));
      expectedReasons.add("");
      addValid(f, records, expectedReasons, valid, 3, prompt);
      f.sendRaw(records);

      long badCount = expectedReasons.stream().filter(r -> r != null).count();
      try (ApplicationContext ctx = f.start(Map.of("alignloop.scorer.tie-margin", 0))) {
        await().atMost(ScorerFixture.TIMEOUT).until(() -> f.deadLetters().size() >= badCount
            && f.labels().size() >= valid.size());
        MeterRegistry registry = ctx.getBean(MeterRegistry.class);
        for (String code : List.of("blob.missing", "blob.checksum", "blob.uri", "image.media-type")) {
          await().atMost(ScorerFixture.TIMEOUT).until(() -> rejected(registry, code) == 1);
        }
        await().atMost(ScorerFixture.TIMEOUT).until(() -> rejected(registry, "image.decode") == 2);
      }

      List<PreferenceLabel> labels = f.labels();
      assertEquals(valid, labels.stream().map(PreferenceLabel::getPairId).toList());
      List<DeadLetter> letters = f.deadLetters();
      assertEquals(badCount, letters.size());
      for (DeadLetter d : letters) {
        String reason = expectedReasons.get((int) d.getOffset());
        assertTrue(reason != null, "a valid pair was dead-lettered: " + d);
        assertEquals(f.pairsTopic, d.getSourceTopic());
        assertEquals(0, d.getPartition());
        assertEquals(ScorerWorker.SERVICE, d.getService());
        assertTrue(d.getReason().startsWith(reason), d.getOffset() + ": " + d.getReason());
        if (!reason.isEmpty()) { // a pair: the reason names it and the image's URI
          java.nio.ByteBuffer k = d.getKey().duplicate();
          byte[] key = new byte[k.remaining()];
          k.get(key);
          assertTrue(d.getReason().contains("pair " + new String(key, StandardCharsets.UTF_8) + " image "), d.getReason());
          assertTrue(d.getReason().contains("(file:"), d.getReason());
        }
      }
    }
  }

  private static double rejected(MeterRegistry registry, String reason) {
    var c = registry.find("alignloop.scorer.rejected").tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  private static void addValid(ScorerFixture f, List<ProducerRecord<String, byte[]>> records, List<String> reasons,
      List<String> valid, int i, String prompt) {
    ImagePair p = ScorerFixture.pair("ok-" + i, prompt, f.png(32, 100 + i), f.png(32, 200 + i));
    records.add(new ProducerRecord<>(f.pairsTopic, p.getPairId(), ScorerFixture.PAIRS.encode(f.pairsTopic, p)));
    reasons.add(null);
    valid.add(p.getPairId());
  }

  private static void addBad(ScorerFixture f, List<ProducerRecord<String, byte[]>> records, List<String> reasons,
      String id, BlobRef a, BlobRef b, String reason) {
    ImagePair p = ScorerFixture.pair(id, "a red circle", a, b);
    records.add(new ProducerRecord<>(f.pairsTopic, id, ScorerFixture.PAIRS.encode(f.pairsTopic, p)));
    reasons.add(reason);
  }

  private static BlobRef stored(ScorerFixture f, byte[] bytes, int w, int h, String mediaType) {
    var b = f.blobs.put(bytes, mediaType);
    return ref(b.uri(), b.sha256(), w, h, mediaType);
  }

  private static BlobRef ref(String uri, String sha256, int w, int h, String mediaType) {
    return BlobRef.newBuilder().setUri(uri).setSha256(sha256).setWidth(w).setHeight(h).setMediaType(mediaType).build();
  }
}
