package dev.alignloop.shapes.rewardmodel;

import dev.alignloop.shapes.model.ShapesModelConfigs;
import dev.alignloop.shapes.prompt.PromptSampler;
import dev.alignloop.shapes.prompt.PromptSplit;
import dev.alignloop.shapes.prompt.SceneSpec;
import dev.alignloop.shapes.render.SceneRenderer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The contrastive data stream: batch {@code k} is a pure function of (seed, k). Each image is a
 * clean rendering of a canonical scene; its texts are the true caption and up to {@code
 * negatives} {@link HardNegatives}, binding and relation negatives first (they are what the base
 * model gets wrong), the rest drawn at random from the other kinds.
 */
final class RewardData {

    /**
     * One batch.
     *
     * @param pixels   [B, 3, N, N] CLIP-normalized
     * @param scenes   B true scenes
     * @param texts    all texts: the B true captions first (text i belongs to image i), then the negatives
     * @param textSpecs the scene each text describes
     */
    record Batch(float[] pixels, List<SceneSpec> scenes, List<String> texts, List<SceneSpec> textSpecs) {
    }

    private static final List<HardNegatives.Kind> PRIORITY = List.of(HardNegatives.Kind.SWAP_COLORS,
            HardNegatives.Kind.SWAP_SHAPES, HardNegatives.Kind.FLIP_RELATION);

    private final long seed;
    private final RewardOptions.SceneSet sceneSet;
    private final PromptSampler train = new PromptSampler(PromptSplit.Part.TRAIN);
    private final PromptSampler heldOut;
    private final SceneRenderer renderer = SceneRenderer.ofSize(ShapesModelConfigs.IMAGE_SIZE);
    private final TinyClipScorer pixels;

    RewardData(long seed, RewardOptions.SceneSet sceneSet, TinyClipScorer pixels) {
        this.seed = seed;
        this.sceneSet = sceneSet;
        this.heldOut = sceneSet == RewardOptions.SceneSet.ALL ? new PromptSampler(PromptSplit.Part.HELD_OUT) : null;
        this.pixels = pixels;
    }

    Batch batch(long step, int batchSize, int negatives) {
        SplittableRandom rng = new SplittableRandom(dev.alignloop.shapes.pretrain.Seeds.mix(seed, step));
        int n = ShapesModelConfigs.IMAGE_SIZE;
        int plane = 3 * n * n;
        float[] px = new float[batchSize * plane];
        List<SceneSpec> scenes = new ArrayList<>(batchSize);
        List<SceneSpec> negs = new ArrayList<>();
        for (int i = 0; i < batchSize; i++) {
            PromptSampler sampler = heldOut != null && (i & 1) == 1 ? heldOut : train;
            SceneSpec scene = sampler.next(rng);
            scenes.add(scene);
            System.arraycopy(pixels.pixels(renderer.render(scene, rng.nextLong()).image()), 0, px, i * plane, plane);
            Map<HardNegatives.Kind, SceneSpec> all = HardNegatives.all(scene, rng);
            List<SceneSpec> chosen = new ArrayList<>();
            List<SceneSpec> rest = new ArrayList<>();
            all.forEach((kind, s) -> (PRIORITY.contains(kind) ? chosen : rest).add(s));
            while (!rest.isEmpty()) { // random order for the rest: partial Fisher-Yates
                chosen.add(rest.remove(rng.nextInt(rest.size())));
            }
            negs.addAll(chosen.subList(0, Math.min(negatives, chosen.size())));
        }
        List<SceneSpec> textSpecs = new ArrayList<>(scenes);
        textSpecs.addAll(negs);
        List<String> texts = textSpecs.stream().map(SceneSpec::caption).toList();
        return new Batch(px, scenes, texts, textSpecs);
    }
}
