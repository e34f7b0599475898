package dev.alignloop.monitor.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.monitor.api.CurvesView;
import dev.alignloop.monitor.api.PairView;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.CheckpointStatus;
import dev.alignloop.schemas.avro.DeadLetter;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.schemas.testing.Samples;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-memory aggregates alone: windows, joins, bounds and cardinality caps. */
class AggregatesTest {

  private static final long NOW = 1_800_000_000_000L;

  @Test
  void ratesCountOnlyTheLastMinuteByRecordTime() {
    TopicTraffic t = new TopicTraffic();
    t.record(NOW - 3_600_000, 100, NOW); // replayed history: totals only
    for (int i = 0; i < 30; i++) {
      t.record(NOW - i * 1000L, 10, NOW);
    }
    t.record(NOW + 5_000, 10, NOW); // producer clock ahead: counts as now
    assertEquals(32, t.messages());
    assertEquals(410, t.bytes());
    assertEquals(31 / 60.0, t.rates(NOW).messagesPerSecond(), 1e-9);
    assertEquals(310 / 60.0, t.rates(NOW).bytesPerSecond(), 1e-9);
    assertEquals(0, t.rates(NOW + 61_000).messagesPerSecond(), "a quiet minute later");
  }

  @Test
  void pairsJoinLabelsWhicheverArrivesFirst() {
    PairGallery g = new PairGallery(2, 10);
    PreferenceLabel early = Samples.label("pair-b");
    early.setWinner(Samples.blob("b"));
    early.setLoser(Samples.blob("a"));
    g.label(early); // label before its pair
    g.pair(Samples.pair("pair-a"));
    g.pair(Samples.pair("pair-b"));
    List<PairView> view = g.view();
    assertEquals(List.of("pair-b", "pair-a"), view.stream().map(PairView::pairId).toList(), "newest first");
    assertEquals("B", view.get(0).winner());
    assertEquals(0.2, view.get(0).scoreA());
    assertEquals(0.9, view.get(0).scoreB());
    assertNull(view.get(1).winner(), "unlabelled");
    g.pair(Samples.pair("pair-c"));
    assertEquals(List.of("pair-c", "pair-b"), g.view().stream().map(PairView::pairId).toList(), "bounded");
  }

  @Test
  void deadLetterReasonsAreLowCardinalityAndCapped() {
    assertEquals("UNKNOWN_FINGERPRINT",
        DeadLetterLog.reasonKind("UNKNOWN_FINGERPRINT on topic alignloop.pairs: cannot decode ...", "x.SchemaException"));
    assertEquals("IllegalStateException", DeadLetterLog.reasonKind("reward model crashed at offset 17",
        "java.lang.IllegalStateException"));
    assertEquals("0x616201", DeadLetterLog.keyText(ByteBuffer.wrap(new byte[] {'a', 'b', 1})));

    DeadLetterLog log = new DeadLetterLog(3);
    for (int i = 0; i < DeadLetterLog.MAX_KINDS + 10; i++) {
      DeadLetter d = Samples.deadLetter(i);
      d.setReason("KIND_" + i + " failed");
      log.add(d, 0, i);
    }
    assertEquals(DeadLetterLog.MAX_KINDS + 1, log.view().byReason().size(), "capped plus 'other'");
    assertEquals(10, log.view().byReason().get(DeadLetterLog.OTHER));
    assertEquals(3, log.view().entries().size());
    assertEquals(DeadLetterLog.MAX_KINDS + 9L, log.view().entries().get(0).offset(), "newest first");
  }

  @Test
  void checkpointStatusUpdatesReplaceAndTombstonesRemove() {
    TrainingHistory h = new TrainingHistory(2);
    Checkpoint v1 = Samples.checkpoint("v1");
    v1.setStep(100);
    Checkpoint v2 = Samples.checkpoint("v2");
    v2.setStep(200);
    h.checkpoint(v2);
    h.checkpoint(v1);
    v2.setStatus(CheckpointStatus.REJECTED);
    h.checkpoint(v2);
    assertEquals(List.of("v1", "v2"), h.lineage().stream().map(c -> c.version()).toList(), "step order");
    assertEquals("REJECTED", h.lineage().get(1).status());
    assertEquals(List.of(100.0, 200.0), h.curves().get("dpo_loss").stream().map(p -> p.x()).toList());
    assertEquals(200, h.latestStep());
    h.removeCheckpoint("v2");
    assertEquals(100, h.latestStep());
    Checkpoint v3 = Samples.checkpoint("v3");
    Checkpoint v4 = Samples.checkpoint("v4");
    h.checkpoint(v3);
    h.checkpoint(v4);
    assertEquals(2, h.lineage().size(), "bounded to the newest versions");
    assertTrue(Double.isNaN(h.latestWinRate()));
  }

  @Test
  void marginHistogramAndRollingMean() {
    LabelStats s = new LabelStats(100);
    for (int i = 0; i < 40; i++) {
      PreferenceLabel l = Samples.label("p" + i);
      l.setMargin(i < 20 ? 0.1 : 0.3);
      s.add(l);
    }
    CurvesView.Margins m = s.view();
    assertEquals(40, m.count());
    assertEquals(0.2, m.mean(), 1e-9);
    assertEquals(LabelStats.BINS + 1, m.histogram().edges().size());
    assertEquals(40, m.histogram().counts().stream().mapToLong(Long::longValue).sum());
    assertEquals(0.1, m.rollingMean().get(19).y(), 1e-9);
    assertEquals(0.3, m.rollingMean().get(39).y(), 1e-9);
    assertEquals(Map.of("ai", 40L), m.bySource());
  }

  @Test
  void sameImageOnBothSidesHasNoWinner() {
    ImagePair p = Samples.pair("twin");
    p.setImageB(p.getImageA());
    assertNull(PairGallery.view(p, Samples.label("twin")).winner());
  }
}
