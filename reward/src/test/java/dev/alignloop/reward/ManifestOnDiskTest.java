package dev.alignloop.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.reward.image.ClipImagePreprocessor;
import dev.alignloop.reward.onnx.TinyClipOnnx;
import dev.alignloop.reward.onnx.TinyClipReference;
import dev.alignloop.reward.onnx.TinyClipSpec;
import dev.alignloop.text.Encoding;
import dev.alignloop.text.TextTokenizer;
import dev.alignloop.text.Tokenizers;
import dev.alignloop.text.WordLevelTokenizer;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the scorer service does: open a model from its manifest on disk, tokenizer included. */
class ManifestOnDiskTest {

    @Test
    void openFromManifestFileWithWordLevelTokenizer(@TempDir Path dir) {
        WordLevelTokenizer wl = WordLevelTokenizer.builder().addWords(Fixtures.WORDS)
                .optBosToken("[BOS]").optEosToken("[EOS]").build();
        Path tokDir = dir.resolve("tokenizer");
        wl.save(tokDir);
        TinyClipSpec spec = TinyClipSpec.small(wl.vocabSize());
        Map<String, float[]> weights = TinyClipOnnx.random(spec, 3);
        RewardManifest written = TinyClipOnnx.export(spec, weights, dir.resolve("reward"), "shapes-reward", tokDir);

        BufferedImage a = Fixtures.image(40, 33, BufferedImage.TYPE_INT_RGB, 11);
        BufferedImage b = Fixtures.image(90, 61, BufferedImage.TYPE_INT_RGB, 12);
        String prompt = "a red circle above a blue square";
        try (OnnxRewardScorer scorer = OnnxRewardScorer.open(written.file(), ScorerOptions.defaults().withIntraOpThreads(1))) {
            assertEquals(new RewardModelId("shapes-reward", RewardManifest.sha256(written.model())), scorer.id());
            PairScore ps = new PairScorer(scorer, 0.0).score(prompt, a, b);

            TextTokenizer tok = Tokenizers.load(tokDir);
            Encoding e = tok.encode(prompt, spec.maxLength());
            TinyClipReference ref = new TinyClipReference(spec, weights);
            ClipImagePreprocessor pre = new ClipImagePreprocessor(scorer.manifest().image());
            assertEquals(ref.score(e.inputIds(), e.attentionMask(), pre.preprocess(a).chw()), ps.scoreA(), 1e-4);
            assertEquals(ref.score(e.inputIds(), e.attentionMask(), pre.preprocess(b).chw()), ps.scoreB(), 1e-4);
        }
    }

    @Test
    void missingTokenizerIsALoadError(@TempDir Path dir) throws Exception {
        TinyClipSpec spec = TinyClipSpec.small(Fixtures.vocabSize());
        RewardManifest m = TinyClipOnnx.export(spec, TinyClipOnnx.random(spec, 1), dir, "t", null);
        RewardModelException e = assertThrows(RewardModelException.class,
                () -> OnnxRewardScorer.open(m.file(), ScorerOptions.defaults()));
        assertTrue(e.getMessage().contains("tokenizer.path is required"), e.getMessage());

        RewardManifest gone = TinyClipOnnx.export(spec, TinyClipOnnx.random(spec, 1), dir, "t", dir.resolve("nope"));
        e = assertThrows(RewardModelException.class, () -> OnnxRewardScorer.open(gone.file(), ScorerOptions.defaults()));
        assertTrue(e.getMessage().contains("cannot load tokenizer") && e.getMessage().contains("nope"), e.getMessage());

        // a corrupt model file is caught by the checksum before ONNX Runtime sees it
        Files.write(m.model(), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        RewardManifest tampered = TinyClipOnnx.export(spec, TinyClipOnnx.random(spec, 1), dir.resolve("x"), "t", null);
        Files.copy(m.model(), tampered.model(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        e = assertThrows(RewardModelException.class,
                () -> OnnxRewardScorer.open(tampered, Fixtures.tokenizer(), ScorerOptions.defaults()));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }
}
