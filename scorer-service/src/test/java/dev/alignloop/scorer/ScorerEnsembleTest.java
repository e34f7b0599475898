package dev.alignloop.scorer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.reward.RewardManifest;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.schemas.avro.RewardModelRef;
import dev.alignloop.scorer.bench.ScorerBench;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Two reward models configured: labels record both members' names and SHA-256s. */
@ExtendWith(KafkaBrokerExtension.class)
class ScorerEnsembleTest {

  @Test
  void anEnsembleRecordsEveryMember(KafkaTestCluster kafka, @TempDir Path dir) {
    try (ScorerFixture f = new ScorerFixture(kafka, dir, 1)) {
      Path second = ScorerBench.tinyModel(dir.resolve("model-2"), 2);
      List<ImagePair> pairs = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        pairs.add(ScorerFixture.pair("ens-" + i, "a blue triangle below a red square", f.png(32, 500 + i),
            f.png(32, 600 + i)));
      }
      f.send(pairs);
      Map<String, Object> config = Map.of(
          "alignloop.scorer.models", f.manifest + "," + second,
          "alignloop.scorer.weights", "2,1",
          "alignloop.scorer.tie-margin", 0);
      try (ApplicationContext ctx = f.start(config)) {
        await().atMost(ScorerFixture.TIMEOUT).until(() -> f.labels().size() >= pairs.size());
        MeterRegistry registry = ctx.getBean(MeterRegistry.class);
        await().atMost(ScorerFixture.TIMEOUT).until(() -> registry.find("alignloop.scorer.score").gauges().size() == 9);
        for (String model : List.of("tiny-clip-1", "tiny-clip-2", "ensemble(tiny-clip-1+tiny-clip-2)")) {
          assertTrue(Double.isFinite(registry.get("alignloop.scorer.score").tag("model", model).tag("stat", "max")
              .gauge().value()), model);
        }
      }
      List<RewardModelRef> expected = List.of(
          RewardModelRef.newBuilder().setName("tiny-clip-1").setSha256(f.modelSha256()).build(),
          RewardModelRef.newBuilder().setName("tiny-clip-2").setSha256(RewardManifest.load(second).sha256()).build());
      List<PreferenceLabel> labels = f.labels();
      assertEquals(pairs.size(), labels.size());
      for (PreferenceLabel l : labels) {
        assertEquals(expected, l.getRewardModels(), l.getPairId());
        assertTrue(l.getMargin() > 0 && l.getScoreWinner() > l.getScoreLoser(), l.toString());
      }
    }
  }
}
