package dev.alignloop.shapes.judge;

import dev.alignloop.shapes.prompt.Background;
import dev.alignloop.shapes.prompt.ObjectSpec;
import dev.alignloop.shapes.prompt.PromptGrammar;
import dev.alignloop.shapes.prompt.SceneSpec;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The programmatic judge: detects objects in an image and scores how faithfully it shows a
 * prompt, attribute by attribute (GenEval-like).
 *
 * <p>Prompt objects are matched to detections by exhaustive search over one-to-one assignments
 * (at most three prompt objects and {@link JudgeConfig#maxMatched()} candidates), keeping the
 * assignment that satisfies the most checks — the most charitable reading, so a check fails only
 * when no reading of the image satisfies it alongside the others. Checks, per object group:
 * {@link CheckKind#COLOR} (if stated), {@link CheckKind#SHAPE}, {@link CheckKind#SIZE} (if
 * stated) on the matched detections, and {@link CheckKind#COUNT} (exactly the stated number of
 * that colour and shape in the whole image); then {@link CheckKind#RELATION} on the matched
 * centroids and {@link CheckKind#BACKGROUND} for a black background. Extra objects the prompt
 * does not mention are not penalised, as in GenEval.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SceneJudge {
    private final JudgeConfig config;

    /** A judge with {@link JudgeConfig#defaults()}. */
    public SceneJudge() {
        this(JudgeConfig.defaults());
    }

    /** A judge with the given thresholds. */
    public SceneJudge(JudgeConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** This judge's thresholds. */
    public JudgeConfig config() {
        return config;
    }

    /** Detects the background and objects of an image (any size; RGB, alpha ignored). */
    public ImageAnalysis analyze(BufferedImage image) {
        Segmentation seg = new Segmentation(Objects.requireNonNull(image, "image"), config);
        return new ImageAnalysis(seg.width, seg.height, seg.backgroundClass, Detector.detect(seg, config));
    }

    /**
     * Judges an image against a prompt.
     *
     * @throws dev.alignloop.shapes.prompt.PromptParseException if the prompt is not in the grammar
     */
    public JudgeResult judge(BufferedImage image, String prompt) {
        return judge(analyze(image), PromptGrammar.parse(prompt));
    }

    /** Judges an image against a scene spec. */
    public JudgeResult judge(BufferedImage image, SceneSpec spec) {
        return judge(analyze(image), spec);
    }

    /** Judges an already analysed image against a scene spec. */
    public JudgeResult judge(ImageAnalysis image, SceneSpec spec) {
        List<Detection> dets = image.detections();
        List<Integer> groupOf = new ArrayList<>();
        for (int g = 0; g < spec.objects().size(); g++) {
            for (int k = 0; k < spec.objects().get(g).count(); k++) {
                groupOf.add(g);
            }
        }
        Search search = new Search(image, spec, groupOf, Math.min(dets.size(), config.maxMatched()));
        search.run(0, new int[groupOf.size()], new boolean[dets.size()]);
        List<Integer> matched = Arrays.stream(search.bestAssignment).boxed().toList();
        return new JudgeResult(spec, dets, matched, search.bestChecks, image.background());
    }

    /** Exhaustive search over one-to-one assignments of prompt instances to candidate detections. */
    private final class Search {
        private final ImageAnalysis image;
        private final SceneSpec spec;
        private final List<Integer> groupOf;
        private final int candidates;
        private final double n;
        private final int[] observedCount;
        private int[] bestAssignment;
        private List<Check> bestChecks;
        private int bestPassed = -1;

        Search(ImageAnalysis image, SceneSpec spec, List<Integer> groupOf, int candidates) {
            this.image = image;
            this.spec = spec;
            this.groupOf = groupOf;
            this.candidates = candidates;
            this.n = Math.max(image.width(), image.height());
            // Counting does not depend on the assignment: count over all detections, not just candidates.
            observedCount = new int[spec.objects().size()];
            for (int g = 0; g < observedCount.length; g++) {
                ObjectSpec o = spec.objects().get(g);
                for (Detection d : image.detections()) {
                    if (d.shape() == o.shape() && (o.color() == null || d.color() == o.color())) {
                        observedCount[g]++;
                    }
                }
            }
        }

        void run(int instance, int[] assignment, boolean[] used) {
            if (instance == assignment.length) {
                List<Check> checks = evaluate(assignment);
                int passed = (int) checks.stream().filter(Check::passed).count();
                if (passed > bestPassed) { // strict: the first (largest-detection-first) assignment wins ties
                    bestPassed = passed;
                    bestChecks = checks;
                    bestAssignment = assignment.clone();
                }
                return;
            }
            for (int d = 0; d < candidates; d++) {
                if (!used[d]) {
                    used[d] = true;
                    assignment[instance] = d;
                    run(instance + 1, assignment, used);
                    used[d] = false;
                }
            }
            assignment[instance] = -1;
            run(instance + 1, assignment, used);
        }

        private List<Check> evaluate(int[] a) {
            List<Check> checks = new ArrayList<>();
            List<Detection> dets = image.detections();
            for (int g = 0; g < spec.objects().size(); g++) {
                ObjectSpec o = spec.objects().get(g);
                List<Detection> mine = new ArrayList<>();
                boolean complete = true;
                for (int i = 0; i < a.length; i++) {
                    if (groupOf.get(i) == g) {
                        if (a[i] < 0) {
                            complete = false;
                        } else {
                            mine.add(dets.get(a[i]));
                        }
                    }
                }
                String found = describe(mine, o.count());
                if (o.color() != null) {
                    boolean ok = complete && mine.stream().allMatch(d -> d.color() == o.color());
                    checks.add(new Check(CheckKind.COLOR, g, ok, "expected " + o.color().word() + ", found " + found));
                }
                boolean shapeOk = complete && mine.stream().allMatch(d -> d.shape() == o.shape());
                checks.add(new Check(CheckKind.SHAPE, g, shapeOk, "expected " + o.shape().singular() + ", found " + found));
                if (o.size() != null) {
                    boolean ok = complete && mine.stream().allMatch(d -> d.size() == o.size());
                    checks.add(new Check(CheckKind.SIZE, g, ok, "expected " + o.size().word() + ", found " + found));
                }
                int expected = 0;
                for (ObjectSpec other : spec.objects()) {
                    if (other.shape() == o.shape() && other.color() == o.color()) {
                        expected += other.count();
                    }
                }
                checks.add(new Check(CheckKind.COUNT, g, observedCount[g] == expected,
                        "expected " + expected + ", found " + observedCount[g]));
            }
            if (spec.relation() != null) {
                int s = a[0];
                int t = a[1];
                boolean ok = false;
                String detail = "an object is missing";
                if (s >= 0 && t >= 0) {
                    Detection ds = dets.get(s);
                    Detection dt = dets.get(t);
                    ok = spec.relation().holds(ds.centroidX(), ds.centroidY(), dt.centroidX(), dt.centroidY(),
                            config.relationMinOffset() * n, config.relationDominance());
                    detail = String.format("expected %s; centroids (%.1f, %.1f) and (%.1f, %.1f)",
                            spec.relation().phrase(), ds.centroidX(), ds.centroidY(), dt.centroidX(), dt.centroidY());
                }
                checks.add(new Check(CheckKind.RELATION, -1, ok, detail));
            }
            if (spec.background() != Background.WHITE) {
                checks.add(new Check(CheckKind.BACKGROUND, -1, image.background() == spec.background(),
                        "expected " + spec.background().word() + ", found " + image.background().word()));
            }
            return checks;
        }

        private String describe(List<Detection> mine, int count) {
            StringBuilder sb = new StringBuilder();
            for (Detection d : mine) {
                sb.append(sb.length() == 0 ? "" : ", ").append(d.size() == null ? "" : d.size().word() + " ")
                        .append(d.color().word()).append(' ').append(d.shape().singular());
            }
            for (int missing = mine.size(); missing < count; missing++) {
                sb.append(sb.length() == 0 ? "" : ", ").append("nothing");
            }
            return sb.toString();
        }
    }
}
