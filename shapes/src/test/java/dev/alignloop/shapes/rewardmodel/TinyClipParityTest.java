package dev.alignloop.shapes.rewardmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.alignloop.reward.OnnxRewardScorer;
import dev.alignloop.reward.RewardManifest;
import dev.alignloop.reward.ScorerOptions;
import dev.alignloop.reward.onnx.TinyClipOnnx;
import dev.alignloop.reward.onnx.TinyClipReference;
import dev.alignloop.reward.onnx.TinyClipSpec;
import dev.alignloop.shapes.model.ShapesTokenizer;
import dev.alignloop.shapes.prompt.PromptSampler;
import dev.alignloop.shapes.prompt.PromptSplit;
import dev.alignloop.shapes.prompt.SceneSpec;
import dev.alignloop.shapes.render.SceneRenderer;
import dev.alignloop.text.Encoding;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DJL training model, the plain-Java reference and the exported ONNX graph compute the same scores. */
class TinyClipParityTest {
    private static final ShapesTokenizer TOKENIZER = ShapesTokenizer.create();
    private static final TinyClipSpec SPEC = ShapesRewardSpec.spec(TOKENIZER.vocabSize());

    /** 8 rendered scenes, each scored against its own caption and against another scene's. */
    private static List<SceneSpec> scenes() {
        return new PromptSampler(PromptSplit.Part.HELD_OUT).sample(8, 11);
    }

    private static List<BufferedImage> images(List<SceneSpec> scenes) {
        SceneRenderer r = SceneRenderer.ofSize(32);
        List<BufferedImage> out = new ArrayList<>();
        for (int i = 0; i < scenes.size(); i++) {
            out.add(r.render(scenes.get(i), i).image());
        }
        return out;
    }

    private static List<String> prompts(List<SceneSpec> scenes) {
        List<String> p = new ArrayList<>();
        for (int i = 0; i < scenes.size(); i++) {
            p.add(scenes.get((i + (i % 2)) % scenes.size()).caption()); // even: own caption, odd: the next one's
        }
        return p;
    }

    private static double relErr(double[] got, double[] exp) {
        double maxAbs = 0;
        double maxErr = 0;
        for (int i = 0; i < got.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(exp[i]));
            maxErr = Math.max(maxErr, Math.abs(got[i] - exp[i]));
        }
        return maxErr / Math.max(1, maxAbs);
    }

    @Test
    void djlMatchesTheReferenceAndOnnxRuntime(@TempDir Path dir) {
        Map<String, float[]> weights = TinyClipOnnx.random(SPEC, 3); // every weight non-zero, unlike a fresh init
        List<SceneSpec> scenes = scenes();
        List<BufferedImage> images = images(scenes);
        List<String> prompts = prompts(scenes);
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClipModel model = TinyClipModel.fromWeights(SPEC, weights, m);
            TinyClipScorer djl = new TinyClipScorer(model, TOKENIZER, m, "test");
            double[] djlScores = djl.score(prompts, images);

            TinyClipReference ref = new TinyClipReference(SPEC, weights);
            double[] refScores = new double[scenes.size()];
            for (int i = 0; i < refScores.length; i++) {
                Encoding e = TOKENIZER.encode(prompts.get(i));
                refScores[i] = ref.score(e.inputIds(), e.attentionMask(), djl.pixels(images.get(i)));
            }
            double refErr = relErr(djlScores, refScores);
            assertTrue(refErr <= 1e-4, "DJL vs reference: " + refErr);

            RewardManifest manifest = TinyClipOnnx.export(SPEC, model.weights(), dir, "parity", TOKENIZER.save(dir));
            double[] onnxScores;
            try (OnnxRewardScorer onnx = OnnxRewardScorer.open(manifest.file(), ScorerOptions.defaults())) {
                onnxScores = onnx.score(prompts, images);
            }
            double onnxErr = relErr(onnxScores, djlScores);
            System.out.printf("TinyClip parity over %d images: DJL vs reference %.2e, ONNX Runtime vs DJL %.2e%n",
                    scenes.size(), refErr, onnxErr);
            assertTrue(onnxErr <= 1e-4, "ONNX vs DJL: " + onnxErr);
            assertTrue(java.util.Arrays.stream(djlScores).distinct().count() == scenes.size(), "scores are not all alike");
        }
    }

    @Test
    void weightsRoundTripByName() {
        Map<String, float[]> weights = TinyClipOnnx.random(SPEC, 5);
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, float[]> back = TinyClipModel.fromWeights(SPEC, weights, m).weights();
            assertEquals(weights.keySet(), back.keySet());
            weights.forEach((k, v) -> assertArrayEquals(v, back.get(k), k));
            assertEquals(SPEC.weightShapes().keySet(), TinyClipModel.random(SPEC, 1, m).stateDict().keySet());
        }
    }
}
