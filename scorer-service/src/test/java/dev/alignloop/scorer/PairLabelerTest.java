package dev.alignloop.scorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.common.blob.BlobException;
import dev.alignloop.common.blob.BlobStore;
import dev.alignloop.common.blob.BlobStoreOptions;
import dev.alignloop.common.blob.BlobStores;
import dev.alignloop.reward.RewardEnsemble;
import dev.alignloop.reward.RewardManifest;
import dev.alignloop.reward.RewardModel;
import dev.alignloop.reward.RewardModelId;
import dev.alignloop.reward.RewardScoreException;
import dev.alignloop.schemas.avro.BlobRef;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.scorer.bench.ScorerBench;
import dev.alignloop.streaming.InputRecord;
import dev.alignloop.streaming.eos.Outcome;
import java.awt.image.BufferedImage;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PairLabeler} alone: a fake reward model that scores an image by its red level, a file blob store. */
class PairLabelerTest {

  static final Instant NOW = Instant.parse("2025-11-25T10:00:00Z");
  static final int POISON = 0xFF00FF; // the fake model scores an image with this pixel NaN

  @TempDir
  Path dir;
  BlobStore blobs;
  RedModel model;
  PairLabeler labeler;

  @BeforeEach
  void setUp() {
    blobs = BlobStores.open(dir.toUri().toString(), BlobStoreOptions.defaults());
    model = new RedModel("red", "ab".repeat(32));
    labeler = new PairLabeler(model, blobs, Clock.fixed(NOW, ZoneOffset.UTC), 0.05, "labels", 2);
  }

  @AfterEach
  void tearDown() {
    labeler.close();
    blobs.close();
  }

  @Test
  void labelsWinnersSkipsTiesAndRejectsBadBlobsInOneModelCall() {
    BlobRef missing = png(40);
    blobs.delete(missing.getUri());
    BlobRef tampered = png(41);
    tampered.setSha256("cd".repeat(32));
    LabelledBatch b = labeler.label(batch(
        pair("a-wins", png(200), png(100)),
        pair("b-wins", png(50), png(150)),
        pair("missing", png(10), missing),
        pair("same", png(120), png(120)),      // margin 0
        pair("close", png(100), png(101)),     // margin 10/255 = 0.039 < 0.05
        pair("checksum", tampered, png(11))));

    PreferenceLabel aWins = label(b.outcomes().get(0));
    assertEquals("a-wins", aWins.getPairId());
    assertEquals(redUri(200), aWins.getWinner().getUri());
    assertEquals(redUri(100), aWins.getLoser().getUri());
    assertEquals(200 / 25.5, aWins.getScoreWinner(), 1e-9);
    assertEquals(100 / 25.5, aWins.getScoreLoser(), 1e-9);
    assertEquals(100 / 25.5, aWins.getMargin(), 1e-9);
    assertEquals("v1", aWins.getPolicyVersion());
    assertEquals("ai", aWins.getSource());
    assertEquals(NOW, aWins.getLabelledAt());
    assertEquals("red", aWins.getRewardModels().get(0).getName());
    assertEquals("ab".repeat(32), aWins.getRewardModels().get(0).getSha256());
    assertEquals(redUri(150), label(b.outcomes().get(1)).getWinner().getUri());
    assertReject(b.outcomes().get(2), "blob.missing: pair missing image B (" + missing.getUri() + ")");
    assertEquals(new Outcome.Skip<>("tie"), b.outcomes().get(3));
    assertEquals(new Outcome.Skip<>("tie"), b.outcomes().get(4));
    assertReject(b.outcomes().get(5), "blob.checksum: pair checksum image A (" + tampered.getUri() + ")");
    assertEquals(List.of(8), model.calls, "all 4 loaded pairs in one model call");
    assertEquals(2, b.labels());
    assertEquals(2, b.ties());
    assertEquals(2, b.rejected());
    assertEquals(4, b.margins().length);
    assertEquals(8, b.scores().get("red").length);
  }

  @Test
  void corruptAndWrongSizePngsAreRejectedNamingPairAndUri() {
    BlobRef corrupt = ScorerBench.store(blobs, ScorerBench.image(32, 1));
    var stored = blobs.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3}, "image/png");
    corrupt.setUri(stored.uri());
    corrupt.setSha256(stored.sha256());
    BlobRef wrongSize = ScorerBench.store(blobs, ScorerBench.image(16, 2));
    wrongSize.setWidth(32);
    LabelledBatch b = labeler.label(batch(pair("corrupt", png(1), corrupt), pair("size", wrongSize, png(2)),
        pair("ok", png(3), png(90))));
    assertReject(b.outcomes().get(0), "image.decode: pair corrupt image B (" + corrupt.getUri() + ")");
    assertReject(b.outcomes().get(1), "image.decode: pair size image A (" + wrongSize.getUri() + ")");
    assertEquals("ok", label(b.outcomes().get(2)).getPairId());
  }

  @Test
  void nonFiniteScoresRejectOnlyTheirPairs() {
    LabelledBatch b = labeler.label(batch(pair("p0", png(10), png(200)), pair("nan", png(30), poisoned()),
        pair("p2", png(220), png(20))));
    assertEquals("p0", label(b.outcomes().get(0)).getPairId());
    Outcome.Reject<PreferenceLabel> r = assertInstanceOf(Outcome.Reject.class, b.outcomes().get(1));
    assertTrue(r.reason().startsWith("score.invalid: pair nan ("), r.reason());
    assertInstanceOf(RewardScoreException.class, r.cause());
    assertEquals("p2", label(b.outcomes().get(2)).getPairId());
    assertEquals(List.of(6, 4), model.calls, "scored again without the bad pair");
  }

  @Test
  void aModelFailureNamingNoPairIsThrownForARetry() {
    model.crash = true;
    List<InputRecord<ImagePair>> batch = batch(pair("p0", png(10), png(200)));
    assertThrows(RewardScoreException.class, () -> labeler.label(batch));
  }

  @Test
  void aBlobStoreOutageIsThrownForARetry() {
    BlobRef a = png(10);
    BlobRef b = png(20);
    BlobStore down = (BlobStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BlobStore.class},
        (proxy, method, args) -> {
          if (method.getName().equals("get")) {
            throw new BlobException(String.valueOf(args[0]), "connection refused");
          }
          return method.invoke(blobs, args);
        });
    try (PairLabeler l = new PairLabeler(model, down, Clock.systemUTC(), 0.05, "labels", 2)) {
      assertThrows(BlobException.class, () -> l.label(batch(pair("p", a, b))));
    }
  }

  @Test
  void anEnsembleLabelsWithTheCombinedScoreAndRecordsEveryMember() {
    RedModel second = new RedModel("red-2", "ef".repeat(32));
    RewardEnsemble ensemble = RewardEnsemble.builder().add(model, 1, new RewardManifest.ScoreStats(0, 2))
        .add(second, 3, new RewardManifest.ScoreStats(1, 1)).build();
    try (PairLabeler l = new PairLabeler(ensemble, blobs, Clock.systemUTC(), 0.05, "labels", 1)) {
      LabelledBatch b = l.label(batch(pair("p", png(51), png(102))));
      PreferenceLabel label = label(b.outcomes().get(0));
      assertEquals(List.of("red", "red-2"), label.getRewardModels().stream().map(m -> m.getName()).toList());
      assertEquals("ef".repeat(32), label.getRewardModels().get(1).getSha256());
      // combined = (1 * s / 2 + 3 * (s - 1)) / 4 with s = red / 25.5
      assertEquals((4 / 2.0 + 3 * (4 - 1.0)) / 4, label.getScoreWinner(), 1e-9);
      assertEquals(3, b.scores().size(), "both members and the ensemble");
    }
  }

  @Test
  void aPipelinedLabelerScoresRunByRunWithTheSameOutcomesAsOneCall() {
    BlobRef missing = png(40);
    blobs.delete(missing.getUri());
    List<InputRecord<ImagePair>> batch = batch(
        pair("p0", png(200), png(100)),
        pair("missing", png(10), missing),
        pair("p2", png(50), png(150)),
        pair("tie", png(120), png(120)),
        pair("nan", png(30), poisoned()),
        pair("p5", png(220), png(20)),
        pair("p6", png(70), png(140)));
    LabelledBatch whole = labeler.label(batch);
    List<Integer> wholeCalls = List.copyOf(model.calls);
    model.calls.clear();
    try (PairLabeler piped = new PairLabeler(model, blobs, Clock.fixed(NOW, ZoneOffset.UTC), 0.05, "labels", 2, 3)) {
      LabelledBatch b = piped.label(batch);
      assertEquals(whole.outcomes().size(), b.outcomes().size());
      for (int i = 0; i < batch.size(); i++) {
        Outcome<PreferenceLabel> x = whole.outcomes().get(i);
        Outcome<PreferenceLabel> y = b.outcomes().get(i);
        assertEquals(x.getClass(), y.getClass(), "pair " + i);
        if (x instanceof Outcome.Emit<PreferenceLabel>) {
          assertEquals(label(x), label(y), "pair " + i);
        } else if (x instanceof Outcome.Reject<PreferenceLabel> rx) {
          assertEquals(rx.reason(), ((Outcome.Reject<PreferenceLabel>) y).reason(), "pair " + i);
        } else {
          assertEquals(x, y, "pair " + i);
        }
      }
      assertEquals(List.of(12), wholeCalls.subList(0, 1), "one call of the 6 loaded pairs first");
      // runs of 3 pairs: [p0, missing, p2] -> 2 loaded; [tie, nan, p5] -> 3, then 2 without nan; [p6] -> 1
      assertEquals(List.of(4, 6, 4, 2), model.calls);
      assertEquals(whole.labels(), b.labels());
      assertEquals(whole.ties(), b.ties());
      assertEquals(whole.rejected(), b.rejected());
      assertEquals(whole.margins().length, b.margins().length);
      assertEquals(whole.scores().get("red").length, b.scores().get("red").length);
    }
  }

  @Test
  void aPipelinedLabelerThrowsALaterRunsTransientLoadFailureForARetry() {
    BlobRef a = png(10);
    BlobRef late = png(20);
    BlobStore flaky = (BlobStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BlobStore.class},
        (proxy, method, args) -> {
          if (method.getName().equals("get") && late.getUri().equals(args[0])) {
            throw new BlobException(String.valueOf(args[0]), "connection refused");
          }
          try {
            return method.invoke(blobs, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
    try (PairLabeler l = new PairLabeler(model, flaky, Clock.systemUTC(), 0.05, "labels", 2, 1)) {
      assertThrows(BlobException.class, () -> l.label(batch(pair("p", a, png(30)), pair("q", png(40), late))));
      assertEquals(List.of(2), model.calls, "the first run was scored, then the second run's load failed");
    }
  }

  // ---- fixtures

  /** Scores an image by its red level at (0, 0), scaled to 0..10; NaN for the {@link #POISON} pixel. */
  static final class RedModel implements RewardModel {
    final RewardModelId id;
    final List<Integer> calls = new ArrayList<>();
    boolean crash;

    RedModel(String name, String sha256) {
      this.id = new RewardModelId(name, sha256);
    }

    @Override
    public RewardModelId id() {
      return id;
    }

    @Override
    public double[] score(List<String> prompts, List<BufferedImage> images) {
      calls.add(images.size());
      if (crash) {
        throw new RewardScoreException(id, "session crashed", null);
      }
      double[] s = images.stream().mapToDouble(im -> (im.getRGB(0, 0) & 0xFFFFFF) == POISON ? Double.NaN
          : ((im.getRGB(0, 0) >> 16) & 0xFF) / 25.5).toArray();
      int[] bad = IntStream.range(0, s.length).filter(i -> !Double.isFinite(s[i])).toArray();
      if (bad.length > 0) {
        throw new RewardScoreException(id, bad.length + " scores are not finite", null, bad);
      }
      return s;
    }

    @Override
    public void close() {}
  }

  private BlobRef png(int red) {
    return ScorerBench.store(blobs, solid(red << 16));
  }

  private BlobRef poisoned() {
    return ScorerBench.store(blobs, solid(POISON));
  }

  private String redUri(int red) {
    return blobs.put(dev.alignloop.common.image.Png.encode(solid(red << 16)), "image/png").uri();
  }

  private static BufferedImage solid(int rgb) {
    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        img.setRGB(x, y, rgb);
      }
    }
    return img;
  }

  private static ImagePair pair(String id, BlobRef a, BlobRef b) {
    ImagePair p = ScorerFixture.pair(id, "a red square", a, b);
    p.setPolicyVersion("v1");
    return p;
  }

  private static List<InputRecord<ImagePair>> batch(ImagePair... pairs) {
    List<InputRecord<ImagePair>> out = new ArrayList<>();
    for (int i = 0; i < pairs.length; i++) {
      out.add(new InputRecord<>("pairs", 0, i, 0L, pairs[i].getPairId(), pairs[i]));
    }
    return out;
  }

  private static PreferenceLabel label(Outcome<PreferenceLabel> o) {
    Outcome.Emit<PreferenceLabel> e = assertInstanceOf(Outcome.Emit.class, o);
    assertEquals(1, e.outputs().size());
    assertEquals("labels", e.outputs().get(0).topic());
    assertEquals(e.outputs().get(0).value().getPairId(), e.outputs().get(0).key());
    return e.outputs().get(0).value();
  }

  private static void assertReject(Outcome<PreferenceLabel> o, String reason) {
    Outcome.Reject<PreferenceLabel> r = assertInstanceOf(Outcome.Reject.class, o);
    assertEquals(reason, r.reason());
  }
}
