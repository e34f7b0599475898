package dev.alignloop.shapes.rewardmodel;

import dev.alignloop.reward.RewardModel;
import dev.alignloop.shapes.prompt.PromptSampler;
import dev.alignloop.shapes.prompt.PromptSplit;
import dev.alignloop.shapes.prompt.SceneSpec;
import dev.alignloop.shapes.render.SceneRenderer;
import dev.alignloop.shapes.model.ShapesModelConfigs;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How often a reward model prefers the true caption of a rendered image over its hard negatives
 * ({@link HardNegatives}), per kind of negative, on a seeded sample of one part of the split.
 *
 * @param correct   per kind: negatives scored strictly below the true caption
 * @param total     per kind: negatives tried
 * @param allBeaten images whose true caption beat every one of its negatives
 * @param images    images evaluated
 */
public record RewardAccuracy(Map<HardNegatives.Kind, Integer> correct, Map<HardNegatives.Kind, Integer> total,
                             int allBeaten, int images) {

    public RewardAccuracy {
        correct = Collections.unmodifiableMap(new EnumMap<>(correct));
        total = Collections.unmodifiableMap(new EnumMap<>(total));
    }

    /**
     * Evaluates {@code model} on {@code n} scenes of {@code part} (sampled and rendered with
     * {@code seed}, so two models see the same images and negatives).
     */
    public static RewardAccuracy evaluate(RewardModel model, PromptSplit.Part part, int n, long seed) {
        SceneRenderer renderer = SceneRenderer.ofSize(ShapesModelConfigs.IMAGE_SIZE);
        List<SceneSpec> scenes = new PromptSampler(part).sample(n, seed);
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        Map<HardNegatives.Kind, Integer> correct = new EnumMap<>(HardNegatives.Kind.class);
        Map<HardNegatives.Kind, Integer> total = new EnumMap<>(HardNegatives.Kind.class);
        int allBeaten = 0;
        for (SceneSpec scene : scenes) {
            BufferedImage image = renderer.render(scene, rng.nextLong()).image();
            Map<HardNegatives.Kind, SceneSpec> negatives = HardNegatives.all(scene, rng);
            List<String> prompts = new ArrayList<>();
            prompts.add(scene.caption());
            negatives.values().forEach(s -> prompts.add(s.caption()));
            double[] scores = model.score(prompts, Collections.nCopies(prompts.size(), image));
            boolean all = true;
            int k = 1;
            for (HardNegatives.Kind kind : negatives.keySet()) {
                boolean ok = scores[0] > scores[k++];
                correct.merge(kind, ok ? 1 : 0, Integer::sum);
                total.merge(kind, 1, Integer::sum);
                all &= ok;
            }
            allBeaten += all ? 1 : 0;
        }
        return new RewardAccuracy(correct, total, allBeaten, scenes.size());
    }

    /** Pairwise accuracy over every negative, in [0, 1]. */
    public double pairwise() {
        int c = correct.values().stream().mapToInt(Integer::intValue).sum();
        int t = total.values().stream().mapToInt(Integer::intValue).sum();
        return t == 0 ? Double.NaN : (double) c / t;
    }

    /** Accuracy against one kind of negative, or NaN if none was tried. */
    public double accuracy(HardNegatives.Kind kind) {
        int t = total.getOrDefault(kind, 0);
        return t == 0 ? Double.NaN : (double) correct.getOrDefault(kind, 0) / t;
    }

    /** Fraction of images whose true caption beat all its negatives. */
    public double allBeatenRate() {
        return images == 0 ? Double.NaN : (double) allBeaten / images;
    }

    /** "pairwise 91.2%, all-beaten 70.1% (512 images); SWAP_COLORS 80.0% (210), ...". */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format("pairwise %.1f%%, all-beaten %.1f%% (%d images)",
                100 * pairwise(), 100 * allBeatenRate(), images));
        for (HardNegatives.Kind k : total.keySet()) {
            sb.append(String.format("; %s %.1f%% (%d)", k, 100 * accuracy(k), total.get(k)));
        }
        return sb.toString();
    }
}
