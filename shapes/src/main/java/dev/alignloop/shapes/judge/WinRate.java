package dev.alignloop.shapes.judge;

/**
 * Paired win rate of a policy over a baseline on the same prompts and seeds, ties counted as
 * half a win (as in the Diffusion-DPO paper's preference numbers), with a 95% Wilson score
 * interval.
 *
 * <p>The interval treats the tie-as-half rate {@code p = (wins + ties/2) / n} as a binomial
 * proportion over {@code n} prompts. A tie contributes exactly 1/2 with no variance, less than a
 * coin flip's, so the interval is conservative (at least as wide as needed). Wilson rather than
 * the normal approximation because eval sets are small (tens to hundreds of prompts) and rates
 * can sit near 0 or 1, where the Wald interval collapses. Closed form, so no seed is involved.
 *
 * @param wins   prompts where the policy scored higher
 * @param ties   prompts where the scores are equal (within the tolerance)
 * @param losses prompts where the baseline scored higher
 * @param rate   {@code (wins + ties / 2) / n}
 * @param lower  lower bound of the 95% interval
 * @param upper  upper bound of the 95% interval
 */
public record WinRate(int wins, int ties, int losses, double rate, double lower, double upper) {

    /** Two-sided 95% normal quantile. */
    public static final double Z95 = 1.959963984540054;
    /** Scores closer than this are a tie (judge scores are fractions of small integers). */
    public static final double DEFAULT_TIE_TOLERANCE = 1e-9;

    /** Number of prompts compared. */
    public int n() {
        return wins + ties + losses;
    }

    /** Win rate with {@link #DEFAULT_TIE_TOLERANCE}. */
    public static WinRate of(double[] policy, double[] baseline) {
        return of(policy, baseline, DEFAULT_TIE_TOLERANCE);
    }

    /**
     * Win rate from paired per-prompt scores ({@code policy[i]} and {@code baseline[i]} are the
     * same prompt and seed).
     *
     * @throws IllegalArgumentException if the arrays differ in length, are empty, or hold NaN
     */
    public static WinRate of(double[] policy, double[] baseline, double tieTolerance) {
        if (policy.length != baseline.length) {
            throw new IllegalArgumentException("policy has " + policy.length + " scores but baseline has "
                    + baseline.length + "; they must be paired per prompt");
        }
        if (policy.length == 0) {
            throw new IllegalArgumentException("no scores: a win rate needs at least one prompt");
        }
        int w = 0;
        int t = 0;
        int l = 0;
        for (int i = 0; i < policy.length; i++) {
            if (Double.isNaN(policy[i]) || Double.isNaN(baseline[i])) {
                throw new IllegalArgumentException("NaN score at prompt " + i);
            }
            double d = policy[i] - baseline[i];
            if (Math.abs(d) <= tieTolerance) {
                t++;
            } else if (d > 0) {
                w++;
            } else {
                l++;
            }
        }
        return fromCounts(w, t, l);
    }

    /** Win rate and interval from counts. */
    public static WinRate fromCounts(int wins, int ties, int losses) {
        if (wins < 0 || ties < 0 || losses < 0 || wins + ties + losses == 0) {
            throw new IllegalArgumentException("counts must be >= 0 with a positive total, got wins=" + wins
                    + " ties=" + ties + " losses=" + losses);
        }
        double n = wins + ties + losses;
        double p = (wins + ties / 2.0) / n;
        double[] ci = wilson(p, n, Z95);
        return new WinRate(wins, ties, losses, p, ci[0], ci[1]);
    }

    /** The Wilson score interval {lower, upper} for proportion {@code p} over {@code n} trials. */
    public static double[] wilson(double p, double n, double z) {
        double z2 = z * z;
        double denom = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denom;
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    @Override
    public String toString() {
        return String.format("%.1f%% [%.1f%%, %.1f%%] (%d wins, %d ties, %d losses)", 100 * rate, 100 * lower,
                100 * upper, wins, ties, losses);
    }
}
