package dev.alignloop.eval;

import dev.alignloop.shapes.judge.AttributeAccuracy;
import dev.alignloop.shapes.judge.CheckKind;
import java.util.Locale;

/** Text rendering of an {@link EvalReport}; plain ASCII columns, so it reads the same in any log. */
final class ReportTable {
    private static final String ROW = "  %-22s %18s %18s%n";

    private ReportTable() {
    }

    static String summary(EvalReport r) {
        StringBuilder sb = new StringBuilder();
        EvalConfig c = r.config();
        sb.append(String.format(Locale.ROOT, "Eval: policy %s vs baseline %s%n", r.policyName(), r.baselineName()));
        sb.append(String.format(Locale.ROOT, "  %s x %d seed(s) = %d pairs; %s; %.1f s%n", c.prompts().describe(),
                c.seedsPerPrompt(), r.pairCount(), c.sampler(), r.elapsed().toMillis() / 1000.0));
        sb.append(String.format(Locale.ROOT, "  reward model %s (sha256 %s); judge %s%n", r.rewardModel().name(),
                r.rewardModel().shortSha(),
                r.judgeName() == null ? "none" : r.judgeName()));
        sb.append(String.format(Locale.ROOT, ROW, "", "policy", "baseline"));
        sb.append(String.format(Locale.ROOT, ROW, "mean reward", num(r.meanRewardPolicy()),
                num(r.meanRewardBaseline())));
        JudgeSummary j = r.judge();
        if (j != null) {
            AttributeAccuracy p = j.policy();
            AttributeAccuracy b = j.baseline();
            sb.append(String.format(Locale.ROOT, ROW, "judge mean score", num(p.meanScore()), num(b.meanScore())));
            sb.append(String.format(Locale.ROOT, ROW, "judge all-correct", pct(p.allCorrectRate()),
                    pct(b.allCorrectRate())));
            for (CheckKind k : CheckKind.values()) {
                if (p.total().containsKey(k) || b.total().containsKey(k)) {
                    sb.append(String.format(Locale.ROOT, ROW, "  " + k.name().toLowerCase(Locale.ROOT),
                            pct(p.accuracy(k)) + " " + counts(p, k), pct(b.accuracy(k)) + " " + counts(b, k)));
                }
            }
        }
        sb.append(String.format(Locale.ROOT, "  %-22s %s%n", "reward win-rate", r.rewardWinRate()));
        if (j != null) {
            sb.append(String.format(Locale.ROOT, "  %-22s %s%n", "judge win-rate", j.winRate()));
        }
        sb.append(String.format(Locale.ROOT, "  %-22s %s: %s%n", "decision", r.decision(), r.reason()));
        return sb.toString();
    }

    static String details(EvalReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-8s %10s %10s %8s %8s  %s%n", "seed", "reward P", "reward B",
                "judge P", "judge B", "prompt"));
        for (EvalSample s : r.samples()) {
            sb.append(String.format(Locale.ROOT, "%-8d %10s %10s %8s %8s  %s%n", s.seed(), num(s.rewardPolicy()),
                    num(s.rewardBaseline()), s.judged() ? num(s.judgePolicy().score()) : "-",
                    s.judged() ? num(s.judgeBaseline().score()) : "-", s.prompt()));
        }
        return sb.toString();
    }

    private static String counts(AttributeAccuracy a, CheckKind k) {
        return "(" + a.passed().getOrDefault(k, 0) + "/" + a.total().getOrDefault(k, 0) + ")";
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
