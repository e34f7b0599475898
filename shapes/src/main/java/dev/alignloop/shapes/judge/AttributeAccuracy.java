package dev.alignloop.shapes.judge;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Judge results aggregated over a prompt set: per-attribute accuracy (passed / total checks of
 * each {@link CheckKind}), the all-correct rate and the mean score.
 *
 * @param passed     passed checks per kind (kinds never checked are absent)
 * @param total      checks per kind
 * @param allCorrect number of results with every check passed
 * @param results    number of results aggregated
 * @param meanScore  mean of {@link JudgeResult#score()}
 */
public record AttributeAccuracy(Map<CheckKind, Integer> passed, Map<CheckKind, Integer> total, int allCorrect,
                                int results, double meanScore) {

    public AttributeAccuracy {
        passed = copy(passed);
        total = copy(total);
    }

    private static Map<CheckKind, Integer> copy(Map<CheckKind, Integer> m) {
        EnumMap<CheckKind, Integer> e = new EnumMap<>(CheckKind.class);
        e.putAll(m);
        return Collections.unmodifiableMap(e);
    }

    /** Aggregates results. */
    public static AttributeAccuracy of(Collection<JudgeResult> results) {
        Map<CheckKind, Integer> passed = new EnumMap<>(CheckKind.class);
        Map<CheckKind, Integer> total = new EnumMap<>(CheckKind.class);
        int all = 0;
        double scoreSum = 0;
        for (JudgeResult r : results) {
            for (Check c : r.checks()) {
                total.merge(c.kind(), 1, Integer::sum);
                passed.merge(c.kind(), c.passed() ? 1 : 0, Integer::sum);
            }
            all += r.allCorrect() ? 1 : 0;
            scoreSum += r.score();
        }
        return new AttributeAccuracy(passed, total, all, results.size(),
                results.isEmpty() ? Double.NaN : scoreSum / results.size());
    }

    /** Accuracy of one kind in [0, 1], or NaN when no check of that kind was made. */
    public double accuracy(CheckKind kind) {
        int t = total.getOrDefault(kind, 0);
        return t == 0 ? Double.NaN : (double) passed.getOrDefault(kind, 0) / t;
    }

    /** Fraction of results with every check passed, or NaN for none. */
    public double allCorrectRate() {
        return results == 0 ? Double.NaN : (double) allCorrect / results;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format("all-correct %.1f%%, mean score %.3f", 100 * allCorrectRate(),
                meanScore));
        for (CheckKind k : CheckKind.values()) {
            if (total.containsKey(k)) {
                sb.append(String.format(", %s %.1f%% (%d/%d)", k.name().toLowerCase(java.util.Locale.ROOT),
                        100 * accuracy(k), passed.get(k), total.get(k)));
            }
        }
        return sb.toString();
    }
}
