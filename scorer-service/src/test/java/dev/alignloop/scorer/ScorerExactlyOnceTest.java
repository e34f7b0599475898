package dev.alignloop.scorer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.common.kafka.KafkaSettings;
import dev.alignloop.schemas.avro.BlobRef;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.streaming.eos.BatchHandler;
import dev.alignloop.streaming.eos.ExactlyOnceProcessor;
import dev.alignloop.streaming.eos.Outcome;
import dev.alignloop.streaming.eos.ProcessorListener;
import dev.alignloop.streaming.eos.ProcessorState;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's exactly-once acceptance: the scorer dies in the middle of a batch (its labels sent,
 * the transaction left open), a new instance with the same transactional id takes over, later a
 * graceful restart; a read_committed reader sees exactly one label per non-tie pair.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ScorerExactlyOnceTest {

  @Test
  void crashAndRestartsLabelEveryNonTiePairExactlyOnce(KafkaTestCluster kafka, @TempDir Path dir) {
    try (ScorerFixture f = new ScorerFixture(kafka, dir, 2)) {
      List<ImagePair> wave1 = pairs(f, 0, 40);
      List<ImagePair> wave2 = pairs(f, 40, 16);
      List<ImagePair> all = new ArrayList<>(wave1);
      all.addAll(wave2);
      Set<String> expected = f.nonTies(all, 0.001); // the fixture's tie margin
      f.send(wave1);
      Map<String, Object> small = Map.of("alignloop.scorer.max-poll-records", 4);

      // Instance 1: the service's own beans and processor wiring, started here so the test can
      // kill it from inside its third batch (sent, offsets added, never committed).
      try (ApplicationContext ctx = f.start(Map.of("alignloop.scorer.enabled", false,
          "alignloop.scorer.max-poll-records", 4))) {
        PairLabeler labeler = ctx.getBean(PairLabeler.class);
        AtomicReference<ExactlyOnceProcessor<ImagePair, PreferenceLabel>> self = new AtomicReference<>();
        AtomicInteger batches = new AtomicInteger();
        BatchHandler<ImagePair, PreferenceLabel> dying = batch -> {
          List<Outcome<PreferenceLabel>> out = labeler.handle(batch);
          if (batches.incrementAndGet() == 3) {
            self.get().halt();
          }
          return out;
        };
        ExactlyOnceProcessor<ImagePair, PreferenceLabel> first = ScorerWorker.build(ctx.getBean(ScorerConfig.class),
            ctx.getBean(KafkaSettings.class), dying, ProcessorListener.NONE, Clock.systemUTC());
        self.set(first);
        first.start();
        await().atMost(ScorerFixture.TIMEOUT).until(() -> first.state() == ProcessorState.HALTED);
      }
      int committedByFirst = f.labels().size();
      assertTrue(committedByFirst <= 8, "only two batches committed, got " + committedByFirst);

      // Instance 2: the whole service, same instance id: aborts the open transaction, redoes batch 3.
      try (ApplicationContext ctx = f.start(small)) {
        int wave1Labels = (int) wave1.stream().filter(p -> expected.contains(p.getPairId())).count();
        await().atMost(ScorerFixture.TIMEOUT).until(() -> f.labels().size() >= wave1Labels);
      } // graceful stop

      // Instance 3 after a graceful restart, with more pairs.
      f.send(wave2);
      try (ApplicationContext ctx = f.start(small)) {
        await().atMost(ScorerFixture.TIMEOUT).until(() -> f.labels().size() >= expected.size());
      }

      List<PreferenceLabel> labels = f.labels();
      Set<String> seen = new HashSet<>();
      for (PreferenceLabel l : labels) {
        assertTrue(seen.add(l.getPairId()), "label for " + l.getPairId() + " seen twice");
      }
      assertEquals(expected, seen);
      assertEquals(expected.size(), labels.size());
      // The crash really left labels behind in an open transaction, which the restart aborted.
      assertTrue(f.labelsUncommitted().size() > labels.size(),
          "the halted batch's labels should be in the log, aborted");
    }
  }

  /** {@code n} pairs from {@code from}; every 8th a tie (the same image twice). */
  private static List<ImagePair> pairs(ScorerFixture f, int from, int n) {
    List<ImagePair> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      BlobRef a = f.png(32, 3000 + i);
      BlobRef b = i % 8 == 7 ? a : f.png(32, 4000 + i);
      out.add(ScorerFixture.pair("eos-" + i, "a red circle above a blue square", a, b));
    }
    return out;
  }
}
