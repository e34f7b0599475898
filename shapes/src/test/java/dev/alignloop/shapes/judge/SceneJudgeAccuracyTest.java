package dev.alignloop.shapes.judge;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.shapes.prompt.ObjectColor;
import dev.alignloop.shapes.prompt.ObjectShape;
import dev.alignloop.shapes.prompt.ObjectSize;
import dev.alignloop.shapes.prompt.ObjectSpec;
import dev.alignloop.shapes.prompt.PromptSampler;
import dev.alignloop.shapes.prompt.PromptSplit;
import dev.alignloop.shapes.prompt.SceneSpec;
import dev.alignloop.shapes.render.RenderedScene;
import dev.alignloop.shapes.render.SceneRenderer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The judge's accuracy on rendered ground truth (issue 6: ≥ 98%), and its sensitivity: judging
 * the same image against a perturbed prompt must lower the score.
 */
class SceneJudgeAccuracyTest {

    /** Prompt perturbations whose violation the judge must detect. */
    enum Perturbation { COLOR, SHAPE, COUNT, RELATION, SIZE }

    private static final int SCENES_32 = 480;
    private static final int SCENES_64 = 240;

    @Test
    void judgesRenderedGroundTruthCorrectlyAndDetectsPerturbedPrompts() {
        SceneJudge judge = new SceneJudge();
        List<JudgeResult> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Map<Perturbation, int[]> detected = new EnumMap<>(Perturbation.class); // {lower, total}
        List<String> missed = new ArrayList<>();
        int[] sizes = {32, 64};
        int[] counts = {SCENES_32, SCENES_64};
        for (int si = 0; si < sizes.length; si++) {
            SceneRenderer renderer = SceneRenderer.ofSize(sizes[si]);
            // Half train, half held-out prompts; seeds differ per image size.
            List<SceneSpec> specs = new ArrayList<>(new PromptSampler(PromptSplit.Part.TRAIN)
                    .sample(counts[si] / 2, 1000 + sizes[si]));
            specs.addAll(new PromptSampler(PromptSplit.Part.HELD_OUT).sample(counts[si] / 2, 2000 + sizes[si]));
            for (int i = 0; i < specs.size(); i++) {
                SceneSpec spec = specs.get(i);
                long seed = 7919L * i + sizes[si];
                RenderedScene scene = renderer.render(spec, seed);
                ImageAnalysis analysis = judge.analyze(scene.image());
                JudgeResult r = judge.judge(analysis, spec);
                results.add(r);
                if (!r.allCorrect()) {
                    failures.add(sizes[si] + "px seed " + seed + ": " + r.summary());
                }
                for (Perturbation p : Perturbation.values()) {
                    SceneSpec perturbed = perturb(spec, p);
                    if (perturbed == null) {
                        continue;
                    }
                    JudgeResult q = judge.judge(analysis, perturbed);
                    int[] tally = detected.computeIfAbsent(p, k -> new int[2]);
                    tally[1]++;
                    if (q.score() < r.score()) {
                        tally[0]++;
                    } else if (missed.size() < 10) {
                        missed.add(sizes[si] + "px seed " + seed + " " + p + ": \"" + spec.caption() + "\" -> "
                                + q.summary());
                    }
                }
            }
        }
        AttributeAccuracy acc = AttributeAccuracy.of(results);
        int lower = 0;
        int total = 0;
        System.out.printf("judge on %d rendered scenes (%d at 32 px, %d at 64 px): %s%n", results.size(),
                SCENES_32, SCENES_64, acc);
        for (Map.Entry<Perturbation, int[]> e : detected.entrySet()) {
            System.out.printf("  perturbed %-8s lower score in %5.1f%% (%d/%d)%n", e.getKey(),
                    100.0 * e.getValue()[0] / e.getValue()[1], e.getValue()[0], e.getValue()[1]);
            lower += e.getValue()[0];
            total += e.getValue()[1];
        }
        System.out.printf("  all perturbations: lower score in %.1f%% (%d/%d)%n", 100.0 * lower / total, lower, total);
        failures.stream().limit(15).forEach(f -> System.out.println("  not all correct: " + f));
        missed.forEach(m -> System.out.println("  perturbation missed: " + m));

        assertTrue(acc.allCorrectRate() >= 0.98, "all-correct rate " + acc.allCorrectRate());
        assertTrue((double) lower / total >= 0.95, "perturbation detection " + (double) lower / total);
        for (Map.Entry<Perturbation, int[]> e : detected.entrySet()) {
            assertTrue(e.getValue()[0] >= 0.95 * e.getValue()[1], e.getKey() + " detection too low");
        }
    }

    /** The prompt with one attribute changed, or {@code null} when the perturbation does not apply. */
    static SceneSpec perturb(SceneSpec spec, Perturbation p) {
        ObjectSpec first = spec.objects().get(0);
        switch (p) {
            case COLOR: {
                if (spec.relation() != null && first.color() != spec.objects().get(1).color()) {
                    ObjectSpec second = spec.objects().get(1);
                    return spec.withObject(0, first.withColor(second.color())).withObject(1, second.withColor(first.color()));
                }
                return spec.withObject(0, first.withColor(next(first.color())));
            }
            case SHAPE:
                return spec.withObject(0, first.withShape(ObjectShape.values()[(first.shape().ordinal() + 1) % 3]));
            case COUNT:
                return spec.relation() != null ? null : spec.withObject(0, first.withCount(first.count() % 3 + 1));
            case RELATION:
                return spec.relation() == null ? null : spec.withRelation(spec.relation().inverse());
            case SIZE:
                return first.size() == null ? null
                        : spec.withObject(0, first.withSize(first.size() == ObjectSize.SMALL ? ObjectSize.LARGE : ObjectSize.SMALL));
            default:
                throw new AssertionError(p);
        }
    }

    private static ObjectColor next(ObjectColor c) {
        return ObjectColor.values()[(c.ordinal() + 1) % ObjectColor.values().length];
    }
}
