package dev.alignloop.monitor;

import dev.alignloop.monitor.testing.HeadlessChromium;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.common.blob.BlobStore;
import dev.alignloop.common.blob.BlobStoreOptions;
import dev.alignloop.common.blob.BlobStores;
import dev.alignloop.common.blob.StoredBlob;
import dev.alignloop.schemas.Topics;
import dev.alignloop.schemas.avro.BlobRef;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.CheckpointStatus;
import dev.alignloop.schemas.avro.EvalDecision;
import dev.alignloop.schemas.avro.EvalResult;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.schemas.testing.Samples;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the real dashboard in headless Chromium against a monitor fed with a small loop's worth
 * of records (real PNGs in a file blob store): the rendered DOM has the topic table with non-zero
 * rates, chart points, lineage badges, DLQ rows and the gallery images. Saves a screenshot to
 * {@code target/monitor.png} (or {@code docs/monitor.png} with {@code -Dalignloop.docs.dir=../docs}). Skipped when {@code /usr/bin/chromium} is absent (Debian package
 * {@code chromium}).
 */
@ExtendWith(KafkaBrokerExtension.class)
class DashboardBrowserTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int PAIRS = 8;
  private static final int CHECKPOINTS = 6;

  @Test
  void dashboardRendersTopicsChartsAndGallery(KafkaTestCluster kafka, @TempDir Path tmp) throws Exception {
    Assumptions.assumeTrue(HeadlessChromium.available(),
        "headless Chromium not found at " + HeadlessChromium.CHROMIUM + ": install the Debian package 'chromium' to run this test");
    Path blobs = Files.createDirectories(tmp.resolve("blobs"));
    // The real topic names (no other test of this module writes them): the screenshot shows
    // what a user sees.
    try (MonitorFixture f = new MonitorFixture(kafka, "");
        BlobStore store = BlobStores.open(blobs.toUri().toString(), BlobStoreOptions.defaults().withFsync(false))) {
      f.start(Map.of(MonitorServer.BLOB_STORE, blobs.toUri().toString()));
      feedLoop(f, store);
      // A trainer-like group that has read 5 labels per partition: the table shows its lag.
      String trainer = "alignloop-trainer";
      try (Admin admin = kafka.admin()) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (int p = 0; p < 3; p++) {
          offsets.put(new TopicPartition(f.topic(Topics.PREFERENCES), p), new OffsetAndMetadata(5));
        }
        admin.alterConsumerGroupOffsets(trainer, offsets).all().get();
      }
      await().atMost(WAIT).until(() -> f.json("/api/pairs").size() == PAIRS
          && f.json("/api/checkpoints").size() == CHECKPOINTS && f.json("/api/dlq").get("total").asLong() == 3
          && f.json("/api/evals").size() == CHECKPOINTS - 1
          && f.topicRow(Topics.PREFERENCES).at("/lagByGroup/" + trainer).asLong() > 0);

      // ?live=poll: with --virtual-time-budget, Chromium's virtual clock stands still while any
      // request is open, and the SSE stream never ends, so the budget would never run out. The
      // stream itself is tested in MonitorApiTest; here the page polls /api/live instead.
      String url = f.monitor().url() + "?live=poll";
      String dom = HeadlessChromium.run(tmp, "--dump-dom", url);
      Files.writeString(Path.of("target", "dashboard-dom.html"), dom); // for a failing CI run

      Matcher rate = Pattern.compile("data-topic=\"" + Pattern.quote(f.topic(Topics.PAIRS)) + "\" data-rate=\"([0-9.]+)\"")
          .matcher(dom);
      assertTrue(rate.find(), "topic table row for pairs: " + excerpt(dom, "topics"));
      assertTrue(Double.parseDouble(rate.group(1)) > 0, "pairs rate " + rate.group(1));
      assertEquals(6, HeadlessChromium.count(dom, "<tr data-topic="), "six topic rows");
      assertTrue(HeadlessChromium.count(dom, "class=\"point\" ") >= 4 * CHECKPOINTS, "chart points: " + HeadlessChromium.count(dom, "class=\"point\" "));
      assertTrue(HeadlessChromium.count(dom, "data-series=\"dpo_loss\"") >= CHECKPOINTS, "loss chart");
      assertTrue(HeadlessChromium.count(dom, "data-series=\"win rate\"") >= CHECKPOINTS - 1, "win-rate chart");
      assertTrue(HeadlessChromium.count(dom, "class=\"bar\"") > 0, "margin histogram");
      assertTrue(dom.contains("data-status=\"PROMOTED\"") && dom.contains("data-status=\"REJECTED\""), "lineage badges");
      assertEquals(3, HeadlessChromium.count(dom, "<tr data-source="), "DLQ rows");
      assertTrue(dom.contains("data-group=\"" + trainer + "\" data-lag=\""), "lag column");
      assertEquals(2 * PAIRS, HeadlessChromium.count(dom, "<img src=\"/api/images/"), "gallery images");
      assertTrue(HeadlessChromium.count(dom, "<figure class=\"winner\"") >= PAIRS - 1, "winners marked");
      assertTrue(dom.contains("live (polling)"), "live updates: " + excerpt(dom, "live-mode"));

      Path shot = tmp.resolve("monitor.png");
      HeadlessChromium.run(tmp, "--screenshot=" + shot, "--window-size=1280,1600", url);
      assertTrue(Files.size(shot) > 10_000, "screenshot written");
      // The screenshot lands in target/; refresh the README's copy with
      // -Dalignloop.docs.dir=../docs (kept opt-in so a test run never dirties the tree).
      Path docs = Path.of(System.getProperty("alignloop.docs.dir", "target"));
      Files.createDirectories(docs);
      Files.copy(shot, docs.resolve("monitor.png"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Prompts, pairs with real images and labels, a checkpoint chain with evals, dead letters. */
  static void feedLoop(MonitorFixture f, BlobStore store) {
    Random random = new Random(7);
    TestImages.Shape[] shapes = TestImages.Shape.values();
    int[] colors = {0xd03030, 0x3050d0, 0x30a050, 0xe0a020};
    for (int i = 0; i < PAIRS; i++) {
      String id = "pair-" + i;
      f.send(Topics.PROMPTS, "p-" + i, Samples.prompt("p-" + i));
      BlobRef a = ref(store.put(TestImages.png(shapes[i % 3], colors[i % 4], 64), "image/png"));
      BlobRef b = ref(store.put(TestImages.png(shapes[(i + 1) % 3], colors[(i + 2) % 4], 64), "image/png"));
      ImagePair pair = Samples.pair(id);
      pair.setPrompt("a " + new String[] {"red", "blue", "green", "yellow"}[i % 4] + " "
          + shapes[i % 3].name().toLowerCase() + " on white");
      pair.setImageA(a);
      pair.setImageB(b);
      f.send(Topics.PAIRS, id, pair);
      if (i < PAIRS - 1) { // the newest pair is still waiting for the scorer
        PreferenceLabel l = Samples.label(id);
        boolean aWins = i % 3 != 0;
        double hi = 0.6 + random.nextDouble() * 0.3;
        double lo = hi - 0.05 - random.nextDouble() * 0.4;
        l.setWinner(aWins ? a : b);
        l.setLoser(aWins ? b : a);
        l.setScoreWinner(hi);
        l.setScoreLoser(lo);
        l.setMargin(hi - lo);
        f.send(Topics.PREFERENCES, id, l);
      }
    }
    for (int i = 0; i < 40; i++) { // more labels, for the margin chart and histogram
      PreferenceLabel l = Samples.label("old-" + i);
      l.setMargin(0.05 + Math.abs(random.nextGaussian()) * 0.2);
      f.send(Topics.PREFERENCES, "old-" + i, l);
    }
    String parent = null;
    for (int v = 1; v <= CHECKPOINTS; v++) {
      String version = "v" + v;
      Checkpoint c = Samples.checkpoint(version);
      c.setParentVersion(parent);
      c.setStep(v * 500L);
      c.setMetrics(Map.of("dpo_loss", 0.693 - 0.05 * v + 0.01 * random.nextDouble(),
          "implicit_accuracy", 0.5 + 0.06 * v, "mse_model_w", 0.12 - 0.01 * v, "mse_ref_w", 0.12));
      c.setStatus(CheckpointStatus.CANDIDATE);
      f.send(Topics.CHECKPOINTS, version, c);
      if (v < CHECKPOINTS) { // the newest is still being evaluated
        boolean promote = v % 3 != 0;
        EvalResult e = Samples.eval(version);
        e.setBaselineVersion(parent == null ? "base" : parent);
        e.setWinRate(promote ? 0.55 + 0.02 * v : 0.46);
        e.setWinRateLow(e.getWinRate() - 0.06);
        e.setWinRateHigh(e.getWinRate() + 0.06);
        e.setDecision(promote ? EvalDecision.PROMOTED : EvalDecision.REJECTED);
        f.send(Topics.EVALS, version, e);
        c.setStatus(promote ? CheckpointStatus.PROMOTED : CheckpointStatus.REJECTED);
        f.send(Topics.CHECKPOINTS, version, c);
        if (promote) {
          parent = version;
        }
      }
    }
    for (int i = 0; i < 3; i++) {
      f.send(Topics.DLQ, "dl-" + i, Samples.deadLetter(10 + i));
    }
  }

  private static BlobRef ref(StoredBlob b) {
    return BlobRef.newBuilder().setUri(b.uri()).setSha256(b.sha256()).setWidth(64).setHeight(64)
        .setMediaType(b.mediaType()).build();
  }

  private static String excerpt(String dom, String id) {
    int i = Math.max(0, dom.indexOf("id=\"" + id + "\""));
    return dom.substring(i, Math.min(dom.length(), i + 1500));
  }
}
