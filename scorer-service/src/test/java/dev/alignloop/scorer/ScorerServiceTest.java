package dev.alignloop.scorer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.schemas.avro.BlobRef;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.schemas.avro.RewardModelRef;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The service end to end through the real broker: pairs in, labels out, ties skipped and counted. */
@ExtendWith(KafkaBrokerExtension.class)
class ScorerServiceTest {

  static final List<String> PROMPTS = List.of("a red circle above a blue square", "a big green triangle",
      "a small yellow square left of a red circle", "two blue circles");

  @Test
  void labelsEveryNonTiePairAndCountsTies(KafkaTestCluster kafka, @TempDir Path dir) throws Exception {
    try (ScorerFixture f = new ScorerFixture(kafka, dir, 2)) {
      List<ImagePair> pairs = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        BlobRef a = f.png(32, 1000 + i);
        // every 6th pair shows the same image twice: margin exactly 0, a tie at any margin
        BlobRef b = i % 6 == 5 ? a : f.png(32, 2000 + i);
        pairs.add(ScorerFixture.pair("pair-" + i, PROMPTS.get(i % PROMPTS.size()), a, b));
      }
      Map<String, double[]> expected = f.scores(pairs);
      Set<String> expectedIds = f.nonTies(pairs, 0.001); // the fixture's tie margin
      int ties = pairs.size() - expectedIds.size();
      assertTrue(ties >= 4, "the identical-image pairs are ties");
      f.send(pairs);

      try (EmbeddedServer server = startServer(f)) {
        int nonTies = expectedIds.size();
        await().atMost(ScorerFixture.TIMEOUT).until(() -> f.labels().size() >= nonTies);
        MeterRegistry registry = server.getApplicationContext().getBean(MeterRegistry.class);
        await().atMost(ScorerFixture.TIMEOUT).until(() -> counter(registry, "alignloop.records.in") >= pairs.size());

        List<PreferenceLabel> labels = f.labels();
        Map<String, PreferenceLabel> byId = new HashMap<>();
        for (PreferenceLabel l : labels) {
          assertTrue(byId.put(l.getPairId(), l) == null, "duplicate label for " + l.getPairId());
        }
        assertEquals(expectedIds, byId.keySet());

        List<RewardModelRef> models = List.of(RewardModelRef.newBuilder().setName("tiny-clip-1")
            .setSha256(f.modelSha256()).build());
        for (ImagePair p : pairs) {
          PreferenceLabel l = byId.get(p.getPairId());
          if (l == null) {
            continue;
          }
          double[] s = expected.get(p.getPairId());
          boolean aWins = s[0] > s[1];
          assertEquals((aWins ? p.getImageA() : p.getImageB()).getUri(), l.getWinner().getUri(), p.getPairId());
          assertEquals((aWins ? p.getImageB() : p.getImageA()).getUri(), l.getLoser().getUri(), p.getPairId());
          assertEquals(Math.max(s[0], s[1]), l.getScoreWinner(), 1e-4);
          assertEquals(Math.min(s[0], s[1]), l.getScoreLoser(), 1e-4);
          assertEquals(l.getScoreWinner() - l.getScoreLoser(), l.getMargin(), 1e-9);
          assertTrue(l.getMargin() > 0);
          assertEquals(models, l.getRewardModels());
          assertEquals(p.getPrompt(), l.getPrompt());
          assertEquals("v7", l.getPolicyVersion());
          assertEquals("ai", l.getSource());
        }

        // metrics: ties through the processor's skipped counter, margins of every scored pair
        assertEquals(ties, counter(registry, "alignloop.records.skipped"), 0);
        assertEquals(nonTies, counter(registry, "alignloop.records.out"), 0);
        assertEquals(pairs.size(), registry.get("alignloop.scorer.margin").summary().count());
        assertTrue(Double.isFinite(registry.get("alignloop.scorer.score").tag("model", "tiny-clip-1")
            .tag("stat", "mean").gauge().value()));
        assertTrue(registry.get("alignloop.scorer.scoring").timer().count() > 0);

        // the HTTP side: /health shows the worker, /prometheus the scorer's meters
        HttpClient http = HttpClient.newHttpClient();
        String health = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/health")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(health.contains("\"UP\"") && health.contains("RUNNING"), health);
        String prom = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/prometheus")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(prom.contains("alignloop_scorer_margin_bucket"), "no margin histogram");
        assertTrue(prom.contains("alignloop_records_skipped_total{reason=\"tie\""), "no tie counter");
      }
    }
  }

  private static EmbeddedServer startServer(ScorerFixture f) {
    return io.micronaut.context.ApplicationContext.run(EmbeddedServer.class, f.properties(Map.of()));
  }

  private static double counter(MeterRegistry registry, String name) {
    return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }
}
