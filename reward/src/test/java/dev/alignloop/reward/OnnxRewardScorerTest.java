package dev.alignloop.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.reward.RewardManifest.InputNames;
import dev.alignloop.reward.RewardManifest.OutputSpec;
import dev.alignloop.reward.RewardManifest.TokenPadding;
import dev.alignloop.reward.RewardManifest.TokenizerSpec;
import dev.alignloop.reward.image.ClipImageConfig;
import dev.alignloop.reward.onnx.OnnxGraphBuilder;
import dev.alignloop.reward.onnx.OnnxGraphBuilder.ElemType;
import dev.alignloop.text.TextTokenizer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Load-time validation and run-time failures of {@link OnnxRewardScorer}, on crafted graphs. */
class OnnxRewardScorerTest {

    private static final int SIZE = 16;

    static RewardManifest manifest(Path dir, byte[] model, InputNames inputs, OutputSpec output) throws IOException {
        Path file = Files.write(dir.resolve("model.onnx"), model);
        return new RewardManifest(dir.resolve("reward.json"), "crafted", file, RewardManifest.sha256(model), inputs,
                output, ClipImageConfig.clipDefaults(SIZE), new TokenizerSpec(null, 8, TokenPadding.MAX_LENGTH), null);
    }

    private static List<BufferedImage> images(int n) {
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> Fixtures.image(20 + i, 30, BufferedImage.TYPE_INT_RGB, i)).toList();
    }

    @Test
    void badChecksumNamesFileBothHashesAndTheFix(@TempDir Path dir) throws IOException {
        RewardManifest good = manifest(dir, Fixtures.pixelMeanGraph(SIZE, 1f, true), InputNames.DEFAULT, OutputSpec.score("score"));
        String wrong = "0".repeat(64);
        RewardManifest bad = new RewardManifest(good.file(), good.name(), good.model(), wrong, good.inputs(), good.output(),
                good.image(), good.tokenizer(), null);
        RewardModelException e = assertThrows(RewardModelException.class,
                () -> OnnxRewardScorer.open(bad, Fixtures.tokenizer(), ScorerOptions.defaults()));
        String msg = e.getMessage();
        assertTrue(msg.contains(good.model().toString()) && msg.contains(wrong) && msg.contains(good.sha256())
                && msg.contains("re-run the export script") && msg.contains("sha256sum"), msg);
    }

    @Test
    void wrongInputNamesListExpectedAndActual(@TempDir Path dir) throws IOException {
        RewardManifest m = manifest(dir, Fixtures.pixelMeanGraph(SIZE, 1f, true),
                new InputNames("ids", "attention_mask", "pixel_values"), OutputSpec.score("score"));
        RewardModelException e = assertThrows(RewardModelException.class,
                () -> OnnxRewardScorer.open(m, Fixtures.tokenizer(), ScorerOptions.defaults()));
        assertTrue(e.getMessage().contains("input_ids INT64[-1, -1]") && e.getMessage().contains("[ids, attention_mask, pixel_values]")
                && e.getMessage().contains(m.model().toString()), e.getMessage());
    }

    @Test
    void graphWithoutMaskNeedsManifestNullAndThenScores(@TempDir Path dir) throws IOException {
        byte[] graph = Fixtures.pixelMeanGraph(SIZE, 1f, false);
        RewardManifest withMask = manifest(dir, graph, InputNames.DEFAULT, OutputSpec.score("score"));
        RewardModelException e = assertThrows(RewardModelException.class,
                () -> OnnxRewardScorer.open(withMask, Fixtures.tokenizer(), ScorerOptions.defaults()));
        assertTrue(e.getMessage().contains("\"attention_mask\": null"), e.getMessage());

        RewardManifest noMask = manifest(dir, graph, new InputNames("input_ids", null, "pixel_values"), OutputSpec.score("score"));
        try (OnnxRewardScorer s = OnnxRewardScorer.open(noMask, Fixtures.tokenizer(), ScorerOptions.defaults())) {
            double[] scores = s.score("a red circle", images(3));
            assertEquals(3, scores.length);
            assertTrue(scores[0] != scores[1], "different images, different scores");
        }
    }

    @Test
    void wrongOutputNameAndPixelSizeFailAtLoad(@TempDir Path dir) throws IOException {
        RewardManifest m = manifest(dir, Fixtures.pixelMeanGraph(SIZE, 1f, true), InputNames.DEFAULT, OutputSpec.score("logits"));
        RewardModelException e = assertThrows(RewardModelException.class,
                () -> OnnxRewardScorer.open(m, Fixtures.tokenizer(), ScorerOptions.defaults()));
        assertTrue(e.getMessage().contains("output logits is not among the graph's outputs [score FLOAT[-1]]"), e.getMessage());

        RewardManifest wrongSize = manifest(dir, Fixtures.pixelMeanGraph(SIZE + 8, 1f, true), InputNames.DEFAULT, OutputSpec.score("score"));
        e = assertThrows(RewardModelException.class,
                () -> OnnxRewardScorer.open(wrongSize, Fixtures.tokenizer(), ScorerOptions.defaults()));
        assertTrue(e.getMessage().contains("[-1, 3, 24, 24]") && e.getMessage().contains("crop_size"), e.getMessage());
    }

    @Test
    void nanScoresRaiseRewardScoreException(@TempDir Path dir) throws IOException {
        RewardManifest m = manifest(dir, Fixtures.pixelMeanGraph(SIZE, Float.NaN, true), InputNames.DEFAULT, OutputSpec.score("score"));
        try (OnnxRewardScorer s = OnnxRewardScorer.open(m, Fixtures.tokenizer(), ScorerOptions.defaults())) {
            RewardScoreException e = assertThrows(RewardScoreException.class, () -> s.score("a red circle", images(2)));
            assertTrue(e.getMessage().contains("crafted") && e.getMessage().contains("NaN")
                    && e.getMessage().contains("a red circle"), e.getMessage());
            assertEquals(m.sha256(), e.model().sha256());
            org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 1}, e.failedIndices());
            // the session survives a bad batch
            assertThrows(RewardScoreException.class, () -> s.score("a red circle", images(1)));
        }
    }

    @Test
    void infiniteScoresToo(@TempDir Path dir) throws IOException {
        RewardManifest m = manifest(dir, Fixtures.pixelMeanGraph(SIZE, Float.MAX_VALUE, true), InputNames.DEFAULT, OutputSpec.score("score"));
        try (OnnxRewardScorer s = OnnxRewardScorer.open(m, Fixtures.tokenizer(), ScorerOptions.defaults())) {
            BufferedImage white = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
            white.getGraphics().fillRect(0, 0, 16, 16);
            RewardScoreException e = assertThrows(RewardScoreException.class, () -> s.score("x", List.of(white)));
            assertTrue(e.getMessage().contains("Infinity"), e.getMessage());
        }
    }

    @Test
    void untokenizablePromptFailsTheBatchNamingIt(@TempDir Path dir) throws IOException {
        RewardManifest m = manifest(dir, Fixtures.pixelMeanGraph(SIZE, 1f, true), InputNames.DEFAULT, OutputSpec.score("score"));
        TextTokenizer strict = (text, max) -> {
            throw new IllegalArgumentException("unknown word \"purple\"");
        };
        try (OnnxRewardScorer s = OnnxRewardScorer.open(m, strict, ScorerOptions.defaults())) {
            RewardScoreException e = assertThrows(RewardScoreException.class, () -> s.score("a purple circle", images(1)));
            assertTrue(e.getMessage().contains("a purple circle") && e.getMessage().contains("unknown word"), e.getMessage());
            e = assertThrows(RewardScoreException.class, () -> s.score(List.of("x", "y", "x"), images(3)));
            org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 2}, e.failedIndices());
        }
    }

    @Test
    void logitsPerImageModeReadsTheDiagonal(@TempDir Path dir) throws IOException {
        // logits[i][j] = mean(pixels_i) * tokens_j, where tokens_j = sum of prompt j's ids
        OnnxGraphBuilder g = new OnnxGraphBuilder("logits");
        String ids = g.input("input_ids", ElemType.INT64, "batch", "sequence");
        String mask = g.input("attention_mask", ElemType.INT64, "batch", "sequence");
        String px = g.input("pixel_values", ElemType.FLOAT, "batch", 3, SIZE, SIZE);
        String text = g.reduceSum(g.cast(g.mul(ids, mask), ElemType.FLOAT), true, 1);     // [B, 1]
        String image = g.reduceMean(px, false, 1, 2, 3);                                  // [B]
        String logits = g.matMul(g.unsqueeze(image, 1), g.transpose(text, 1, 0));        // [B, B]
        g.identity(logits, "logits_per_image");
        g.identity(g.mul(image, g.reshape(text, -1)), "score");
        g.output("logits_per_image", ElemType.FLOAT, "batch", "batch");
        g.output("score", ElemType.FLOAT, "batch");
        byte[] model = g.toBytes();
        List<String> prompts = List.of("a red circle", "two blue squares", "green");
        try (OnnxRewardScorer diag = OnnxRewardScorer.open(manifest(dir, model, InputNames.DEFAULT,
                     new OutputSpec(RewardManifest.OutputMode.LOGITS_PER_IMAGE, "logits_per_image", null, null, 1)),
                Fixtures.tokenizer(), ScorerOptions.defaults());
             OnnxRewardScorer direct = OnnxRewardScorer.open(manifest(dir, model, InputNames.DEFAULT, OutputSpec.score("score")),
                Fixtures.tokenizer(), ScorerOptions.defaults())) {
            double[] a = diag.score(prompts, images(3));
            double[] b = direct.score(prompts, images(3));
            for (int i = 0; i < 3; i++) {
                assertEquals(b[i], a[i], 1e-5 * Math.abs(b[i]), "image " + i);
            }
            assertTrue(a[0] != a[2]);
        }
    }

    @Test
    void mismatchedListsAreRejected(@TempDir Path dir) throws IOException {
        RewardManifest m = manifest(dir, Fixtures.pixelMeanGraph(SIZE, 1f, true), InputNames.DEFAULT, OutputSpec.score("score"));
        try (OnnxRewardScorer s = OnnxRewardScorer.open(m, Fixtures.tokenizer(), ScorerOptions.defaults())) {
            assertThrows(IllegalArgumentException.class, () -> s.score(List.of("a", "b"), images(1)));
            assertThrows(IllegalArgumentException.class, () -> s.score(List.of(), List.of()));
        }
    }

    @Test
    void notAnOnnxFile(@TempDir Path dir) throws IOException {
        RewardManifest m = manifest(dir, "not a model".getBytes(), InputNames.DEFAULT, OutputSpec.score("score"));
        RewardModelException e = assertThrows(RewardModelException.class,
                () -> OnnxRewardScorer.open(m, Fixtures.tokenizer(), ScorerOptions.defaults()));
        assertTrue(e.getMessage().contains("ONNX Runtime cannot load the model") && e.getMessage().contains("model.onnx"), e.getMessage());
    }

    @Test
    void reusedPixelBuffersGiveEveryBatchItsOwnScoresWhateverItsSize(@TempDir Path dir) throws IOException {
        RewardManifest m = manifest(dir, Fixtures.pixelMeanGraph(SIZE, 1f, true), InputNames.DEFAULT, OutputSpec.score("score"));
        List<BufferedImage> all = images(5);
        try (OnnxRewardScorer s = OnnxRewardScorer.open(m, Fixtures.tokenizer(), ScorerOptions.defaults())) {
            double[] one = new double[5];
            for (int i = 0; i < 5; i++) {
                one[i] = s.score("a red circle", List.of(all.get(i)))[0]; // a fresh single-image run each
            }
            // large, then small (a reused buffer longer than needed), then large again
            double[] big = s.score("a red circle", all);
            double[] small = s.score("a red circle", all.subList(3, 5));
            double[] again = s.score("a red circle", all);
            for (int i = 0; i < 5; i++) {
                assertEquals(one[i], big[i], 1e-6, "image " + i);
                assertEquals(one[i], again[i], 1e-6, "image " + i);
            }
            assertEquals(one[3], small[0], 1e-6);
            assertEquals(one[4], small[1], 1e-6);
        }
    }
}
