package dev.alignloop.monitor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.common.blob.BlobStore;
import dev.alignloop.common.blob.BlobStoreOptions;
import dev.alignloop.common.blob.BlobStores;
import dev.alignloop.common.blob.StoredBlob;
import dev.alignloop.schemas.Topics;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.CheckpointStatus;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.testing.Samples;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One sample of every record type (plus a poison value) through a real broker into the monitor:
 * every endpoint, the Prometheus metrics, the image endpoint and the SSE stream show them.
 */
@ExtendWith(KafkaBrokerExtension.class)
class MonitorApiTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void everyEndpointShowsWhatTheTopicsCarry(KafkaTestCluster kafka, @TempDir Path blobs) throws Exception {
    BlobStore store = BlobStores.open(blobs.toUri().toString(), BlobStoreOptions.defaults().withFsync(false));
    byte[] png = TestImages.png(TestImages.Shape.CIRCLE, 0xd03030, 32);
    StoredBlob stored = store.put(png, "image/png");
    try (MonitorFixture f = new MonitorFixture(kafka)) {
      f.start(Map.of(MonitorServer.BLOB_STORE, blobs.toUri().toString()));

      f.send(Topics.PROMPTS, "p-1", Samples.prompt("p-1"));
      ImagePair pair = Samples.pair("pair-1");
      f.send(Topics.PAIRS, "pair-1", pair);
      f.sendRaw(Topics.PAIRS, "poison", new byte[] {1, 2, 3});
      f.send(Topics.PREFERENCES, "pair-1", Samples.label("pair-1"));
      f.send(Topics.PREFERENCES, "pair-x", Samples.label("pair-x")); // a label whose pair never came
      Checkpoint v1 = checkpoint("v1", null, 100, 0.69, 0.50);
      Checkpoint v2 = checkpoint("v2", "v1", 200, 0.61, 0.72);
      f.send(Topics.CHECKPOINTS, "v1", v1);
      f.send(Topics.CHECKPOINTS, "v2", v2);
      v2.setStatus(CheckpointStatus.PROMOTED); // the eval gate re-publishes the version
      f.send(Topics.CHECKPOINTS, "v2", v2);
      f.send(Topics.EVALS, "v2", Samples.eval("v2"));
      f.send(Topics.DLQ, "dl-5", Samples.deadLetter(5));

      await().atMost(WAIT).until(() -> f.json("/api/dlq").get("total").asLong() == 1
          && f.json("/api/evals").size() == 1 && f.json("/api/checkpoints").size() == 2
          && f.json("/api/curves").at("/margins/count").asLong() == 2
          && f.topicRow(Topics.PAIRS).get("messagesSeen").asLong() == 2);

      JsonNode lineage = f.json("/api/checkpoints");
      assertEquals(List.of("v1", "v2"), MonitorFixture.names(lineage, "version"));
      assertEquals("v1", lineage.get(1).get("parentVersion").asText());
      assertEquals("PROMOTED", lineage.get(1).get("status").asText());
      assertEquals("CANDIDATE", lineage.get(0).get("status").asText());
      assertEquals(0.61, lineage.get(1).get("evalWinRate").asDouble());

      JsonNode curves = f.json("/api/curves");
      JsonNode loss = curves.at("/training/dpo_loss");
      assertEquals(2, loss.size());
      assertEquals(100, loss.get(0).get("x").asDouble());
      assertEquals(0.61, loss.get(1).get("y").asDouble());
      assertEquals("v2", loss.get(1).get("label").asText());
      assertEquals(2, curves.at("/training/implicit_accuracy").size());
      assertEquals(0.7, curves.at("/margins/mean").asDouble(), 1e-9);
      assertEquals(2, curves.at("/margins/recent").size());

      JsonNode eval = f.json("/api/evals").get(0);
      assertEquals("v2", eval.get("checkpointVersion").asText());
      assertEquals(0.52, eval.get("winRateLow").asDouble());
      assertEquals("PROMOTED", eval.get("decision").asText());

      JsonNode dlq = f.json("/api/dlq");
      assertEquals(1, dlq.at("/byReason/BAD_MARKER").asLong());
      JsonNode entry = dlq.get("entries").get(0);
      assertEquals(Topics.PAIRS, entry.get("sourceTopic").asText());
      assertEquals(1, entry.get("partition").asInt());
      assertEquals(5, entry.get("offset").asLong());
      assertEquals("scorer-service", entry.get("service").asText());
      assertEquals("k", entry.get("key").asText());

      JsonNode pairs = f.json("/api/pairs");
      assertEquals(1, pairs.size(), "the label without a pair adds no card");
      JsonNode p = pairs.get(0);
      assertEquals("pair-1", p.get("pairId").asText());
      assertEquals("A", p.get("winner").asText());
      assertEquals(0.9, p.get("scoreA").asDouble());
      assertEquals(0.2, p.get("scoreB").asDouble());
      assertTrue(p.at("/imageA/url").asText().startsWith("/api/images/" + pair.getImageA().getSha256() + "?uri=file"));

      JsonNode pairsRow = f.topicRow(Topics.PAIRS);
      assertEquals(1, pairsRow.get("undecodable").asLong());
      assertTrue(pairsRow.get("messagesPerSecond").asDouble() > 0, pairsRow.toString());
      assertTrue(pairsRow.get("bytesPerSecond").asDouble() > 0, pairsRow.toString());
      await().atMost(WAIT).until(() -> f.topicRow(Topics.PAIRS).get("endOffsets").asLong() == 2);
      assertEquals(3, f.topicRow(Topics.PAIRS).get("partitions").asInt());
      assertEquals("UP", f.json("/api/topics").at("/broker/state").asText());

      Map<String, String> pairsTopic = Map.of("topic", f.topic(Topics.PAIRS));
      assertEquals(2, f.prometheus("alignloop_topic_messages_total", pairsTopic));
      assertTrue(f.prometheus("alignloop_topic_bytes_total", pairsTopic) > 0);
      assertEquals(1, f.prometheus("alignloop_topic_undecodable_total", pairsTopic));
      assertEquals(2, f.prometheus("alignloop_topic_end_offsets", pairsTopic));
      assertEquals(1, f.prometheus("alignloop_dlq_total", Map.of("reason", "BAD_MARKER")));
      assertEquals(2, f.prometheus("alignloop_label_margin_count", Map.of()));
      assertEquals(2, f.prometheus("alignloop_label_margin_bucket", Map.of("le", "1.0"))); // margins 0.7
      assertEquals(0, f.prometheus("alignloop_label_margin_bucket", Map.of("le", "0.5")));
      assertEquals(200, f.prometheus("alignloop_checkpoint_latest_step", Map.of()));
      assertEquals(0.61, f.prometheus("alignloop_checkpoint_metric", Map.of("metric", "dpo_loss")));
      assertEquals(1, f.prometheus("alignloop_checkpoints", Map.of("status", "PROMOTED")));
      assertEquals(0.61, f.prometheus("alignloop_eval_win_rate", Map.of()));
      assertEquals(1, f.prometheus("alignloop_monitor_broker_up", Map.of()));
      assertEquals(200, f.request("/health").statusCode());

      // Images: verified bytes from the store; wrong hash, unknown blob, bad input.
      HttpResponse<byte[]> image = f.bytes("/api/images/" + stored.sha256() + "?uri=" + stored.uri());
      assertEquals(200, image.statusCode());
      assertEquals("image/png", image.headers().firstValue("Content-Type").orElse("").split(";")[0]);
      assertArrayEquals(png, image.body());
      assertEquals(500, f.bytes("/api/images/" + "0".repeat(64) + "?uri=" + stored.uri()).statusCode());
      assertEquals(404, f.bytes("/api/images/" + stored.sha256() + "?uri="
          + stored.uri().replace(stored.sha256(), "ab".repeat(32))).statusCode());
      assertEquals(400, f.bytes("/api/images/nothex?uri=" + stored.uri()).statusCode());
      assertEquals(400, f.bytes("/api/images/" + stored.sha256() + "?uri=file:/etc/passwd").statusCode());

      // Live updates: the first SSE event carries the topic table and the section versions.
      String event = firstSseEvent(f.monitor().url().resolve("/api/stream"));
      JsonNode live = MonitorFixture.JSON.readTree(event);
      assertEquals(6, live.at("/topics/topics").size());
      assertTrue(live.at("/versions/dlq").asLong() >= 1, event);
    } finally {
      store.close();
    }
  }

  static Checkpoint checkpoint(String version, String parent, long step, double loss, double accuracy) {
    Checkpoint c = Samples.checkpoint(version);
    c.setParentVersion(parent);
    c.setStep(step);
    c.setMetrics(Map.of("dpo_loss", loss, "implicit_accuracy", accuracy));
    return c;
  }

  /** The data of the first {@code update} event, within 10 s. */
  static String firstSseEvent(URI stream) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<Stream<String>> response = client.sendAsync(
        HttpRequest.newBuilder(stream).header("Accept", "text/event-stream").build(),
        HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    try (Stream<String> lines = response.body()) {
      return CompletableFuture
          .supplyAsync(() -> lines.filter(l -> l.startsWith("data:")).findFirst().orElseThrow().substring(5).strip())
          .get(10, TimeUnit.SECONDS);
    }
  }
}
