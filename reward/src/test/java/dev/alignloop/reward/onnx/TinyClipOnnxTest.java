package dev.alignloop.reward.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.reward.Fixtures;
import dev.alignloop.reward.OnnxRewardScorer;
import dev.alignloop.reward.RewardManifest;
import dev.alignloop.reward.ScorerOptions;
import dev.alignloop.reward.image.ClipImagePreprocessor;
import dev.alignloop.text.Encoding;
import dev.alignloop.text.TextTokenizer;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The exported tiny CLIP, end to end (preprocess, tokenize, ONNX Runtime) against plain-Java math. */
class TinyClipOnnxTest {

    static final List<BufferedImage> IMAGES = List.of(
            Fixtures.image(31, 47, BufferedImage.TYPE_INT_RGB, 1),
            Fixtures.image(300, 200, BufferedImage.TYPE_3BYTE_BGR, 2),
            Fixtures.image(47, 31, BufferedImage.TYPE_4BYTE_ABGR, 3),
            Fixtures.image(129, 17, BufferedImage.TYPE_INT_RGB, 4),
            Fixtures.image(64, 64, BufferedImage.TYPE_BYTE_GRAY, 5),
            Fixtures.image(33, 1001, BufferedImage.TYPE_INT_ARGB, 6));
    static final List<String> PROMPTS = List.of("a red circle above a blue square", "two green triangles",
            "a big blue square left of a small red circle", "a zebra", "the the the", "red");

    @Test
    void scoresMatchPlainJavaReference(@TempDir Path dir) {
        TinyClipSpec spec = TinyClipSpec.small(Fixtures.vocabSize());
        assertMatchesReference(spec, dir);
    }

    @Test
    void bagOfWordsVariantMatchesToo(@TempDir Path dir) {
        TinyClipSpec spec = new TinyClipSpec(Fixtures.vocabSize(), 12, 8, 0, false, 24, 4, 3, 1, false, 6);
        assertMatchesReference(spec, dir);
    }

    private static void assertMatchesReference(TinyClipSpec spec, Path dir) {
        Map<String, float[]> weights = TinyClipOnnx.random(spec, 42);
        RewardManifest m = TinyClipOnnx.export(spec, weights, dir, "tiny-clip", null);
        TinyClipReference ref = new TinyClipReference(spec, weights);
        TextTokenizer tok = Fixtures.tokenizer();
        ClipImagePreprocessor pre = new ClipImagePreprocessor(m.image());
        try (OnnxRewardScorer scorer = OnnxRewardScorer.open(m, tok, ScorerOptions.defaults().withIntraOpThreads(1))) {
            double[] got = scorer.score(PROMPTS, IMAGES);
            double worst = 0;
            for (int i = 0; i < IMAGES.size(); i++) {
                Encoding e = tok.encode(PROMPTS.get(i), spec.maxLength());
                double expected = ref.score(e.inputIds(), e.attentionMask(), pre.preprocess(IMAGES.get(i)).chw());
                worst = Math.max(worst, Math.abs(got[i] - expected));
            }
            LoggerFactory.getLogger(TinyClipOnnxTest.class).info("{}: ONNX vs Java reference max |error| {}", spec, worst);
            assertTrue(worst <= 1e-4, "ONNX vs Java reference: max |error| " + worst);
            // different prompts really give different scores (the graph is not degenerate)
            assertTrue(Math.abs(got[0] - got[1]) > 1e-3, "scores " + java.util.Arrays.toString(got));
        }
    }

    @Test
    void embeddingsModeAndSmallBatchesGiveTheSameScores(@TempDir Path dir) {
        TinyClipSpec spec = TinyClipSpec.small(Fixtures.vocabSize());
        Map<String, float[]> weights = TinyClipOnnx.random(spec, 7);
        RewardManifest m = TinyClipOnnx.export(spec, weights, dir, "tiny-clip", null);
        RewardManifest emb = new RewardManifest(m.file(), m.name(), m.model(), m.sha256(), m.inputs(),
                RewardManifest.OutputSpec.embeddings(TinyClipOnnx.IMAGE_EMBEDS, TinyClipOnnx.TEXT_EMBEDS,
                        Math.exp(weights.get(TinyClipSpec.LOGIT_SCALE)[0])),
                m.image(), new RewardManifest.TokenizerSpec(null, spec.maxLength(), RewardManifest.TokenPadding.LONGEST), null);
        try (OnnxRewardScorer a = OnnxRewardScorer.open(m, Fixtures.tokenizer(), ScorerOptions.defaults());
             OnnxRewardScorer b = OnnxRewardScorer.open(emb, Fixtures.tokenizer(), ScorerOptions.defaults().withMaxBatchSize(4))) {
            double[] sa = a.score(PROMPTS, IMAGES);
            double[] sb = b.score(PROMPTS, IMAGES);
            for (int i = 0; i < sa.length; i++) {
                assertEquals(sa[i], sb[i], 1e-4, "image " + i);
            }
        }
    }

    @Test
    void weightsAreCheckedByName() {
        TinyClipSpec spec = TinyClipSpec.small(Fixtures.vocabSize());
        Map<String, float[]> w = new HashMap<>(TinyClipOnnx.random(spec, 1));
        w.put(TinyClipSpec.CONV_BIAS, new float[3]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TinyClipOnnx.build(spec, w));
        assertTrue(e.getMessage().contains("vision.conv.bias") && e.getMessage().contains("[8]"), e.getMessage());

        w.remove(TinyClipSpec.CONV_BIAS);
        e = assertThrows(IllegalArgumentException.class, () -> TinyClipOnnx.build(spec, w));
        assertTrue(e.getMessage().contains("missing weight vision.conv.bias"), e.getMessage());

        w.put("vision.conv.bais", new float[8]);
        e = assertThrows(IllegalArgumentException.class, () -> TinyClipOnnx.build(spec, w));
        assertTrue(e.getMessage().contains("unknown weights [vision.conv.bais]"), e.getMessage());
    }

    @Test
    void erfIsAccurate() {
        // reference values from scipy.special.erf
        assertEquals(0.0, TinyClipReference.erf(0), 1e-15);
        assertEquals(0.5204998778130465, TinyClipReference.erf(0.5), 1e-14);
        assertEquals(-0.8427007929497149, TinyClipReference.erf(-1), 1e-14);
        assertEquals(0.9999779095030014, TinyClipReference.erf(3), 1e-14);
        assertEquals(0.9999999845827421, TinyClipReference.erf(4), 1e-14);
    }
}
