package dev.alignloop.eval;

import dev.alignloop.shapes.judge.WinRate;
import java.util.Locale;
import java.util.Objects;

/**
 * When a checkpoint is PROMOTED. Evaluated in this order; the first rule that fires decides:
 * <ol>
 *   <li><b>Reward hacking guard</b> (with a judge): if the policy's mean reward is above the
 *       baseline's but its judge accuracy ({@link JudgeSummary#policyAccuracy()}) is lower by more
 *       than {@link #hackingEpsilon}, REJECT with "reward up, judge down". The policy is pleasing
 *       the reward model by something other than prompt fidelity; no win-rate outweighs that.</li>
 *   <li><b>No difference</b>: if every pair tied on reward (and on the judge, if any), REJECT.
 *       Otherwise a copy of the baseline would pass a rule whose thresholds are "not worse".</li>
 *   <li><b>Reward</b>: REJECT unless the reward win-rate is {@code >= minRewardWinRate}.</li>
 *   <li><b>Judge</b> (with a judge): REJECT unless the judge win-rate's 95% lower bound is
 *       {@code > judgeLowerBoundAbove} <em>or</em> the judge win-rate is {@code >= minJudgeWinRate}.
 *       The interval route is the statistically sound one; the point route lets small eval sets
 *       (where even a clear improvement has a wide interval) promote a solid majority.</li>
 *   <li>Otherwise PROMOTE.</li>
 * </ol>
 *
 * <p>Defaults ({@link #defaults()}): reward win-rate {@code >= 0.5} (not worse on the signal that
 * was optimised: the judge, not the reward, must show the improvement), judge lower bound
 * {@code > 0.5} or judge win-rate {@code >= 0.6}, hacking epsilon {@code 0.02} (two points of mean
 * judge score: above the run-to-run noise of a fixed-seed eval, below any real regression). A
 * route is switched off with an unreachable threshold: {@code judgeLowerBoundAbove = 1},
 * {@code minJudgeWinRate} or {@code hackingEpsilon = +infinity}.
 *
 * @param minRewardWinRate the policy's reward win-rate must be at least this, in [0, 1]
 * @param judgeLowerBoundAbove the judge win-rate's lower 95% bound passes when strictly above this, in [0, 1]
 * @param minJudgeWinRate the judge win-rate passes when at least this, {@code >= 0} (above 1: never)
 * @param hackingEpsilon the judge accuracy may fall by at most this while the reward rises, {@code >= 0}
 */
public record GateRule(double minRewardWinRate, double judgeLowerBoundAbove, double minJudgeWinRate,
        double hackingEpsilon) {
    /** Default of {@link #minRewardWinRate}. */
    public static final double DEFAULT_MIN_REWARD_WIN_RATE = 0.5;
    /** Default of {@link #judgeLowerBoundAbove}. */
    public static final double DEFAULT_JUDGE_LOWER_BOUND_ABOVE = 0.5;
    /** Default of {@link #minJudgeWinRate}. */
    public static final double DEFAULT_MIN_JUDGE_WIN_RATE = 0.6;
    /** Default of {@link #hackingEpsilon}. */
    public static final double DEFAULT_HACKING_EPSILON = 0.02;
    /** The reason prefix of a reward-hacking rejection. */
    public static final String REWARD_UP_JUDGE_DOWN = "reward up, judge down";

    /** Validates ranges, naming the field. */
    public GateRule {
        if (!(minRewardWinRate >= 0 && minRewardWinRate <= 1)) {
            throw new IllegalArgumentException("minRewardWinRate must be in [0, 1], got " + minRewardWinRate);
        }
        if (!(judgeLowerBoundAbove >= 0 && judgeLowerBoundAbove <= 1)) {
            throw new IllegalArgumentException("judgeLowerBoundAbove must be in [0, 1], got " + judgeLowerBoundAbove);
        }
        if (!(minJudgeWinRate >= 0)) {
            throw new IllegalArgumentException("minJudgeWinRate must be >= 0 (above 1 disables it), got "
                    + minJudgeWinRate);
        }
        if (!(hackingEpsilon >= 0)) {
            throw new IllegalArgumentException("hackingEpsilon must be >= 0 (infinity disables the guard), got "
                    + hackingEpsilon);
        }
    }

    /** @return the documented defaults: 0.5, 0.5, 0.6, 0.02 */
    public static GateRule defaults() {
        return new GateRule(DEFAULT_MIN_REWARD_WIN_RATE, DEFAULT_JUDGE_LOWER_BOUND_ABOVE, DEFAULT_MIN_JUDGE_WIN_RATE,
                DEFAULT_HACKING_EPSILON);
    }

    /**
     * @param v the new value
     * @return a copy with this {@link #minRewardWinRate}
     */
    public GateRule withMinRewardWinRate(double v) {
        return new GateRule(v, judgeLowerBoundAbove, minJudgeWinRate, hackingEpsilon);
    }

    /**
     * @param v the new value
     * @return a copy with this {@link #judgeLowerBoundAbove}
     */
    public GateRule withJudgeLowerBoundAbove(double v) {
        return new GateRule(minRewardWinRate, v, minJudgeWinRate, hackingEpsilon);
    }

    /**
     * @param v the new value
     * @return a copy with this {@link #minJudgeWinRate}
     */
    public GateRule withMinJudgeWinRate(double v) {
        return new GateRule(minRewardWinRate, judgeLowerBoundAbove, v, hackingEpsilon);
    }

    /**
     * @param v the new value
     * @return a copy with this {@link #hackingEpsilon}
     */
    public GateRule withHackingEpsilon(double v) {
        return new GateRule(minRewardWinRate, judgeLowerBoundAbove, minJudgeWinRate, v);
    }

    /**
     * The measurements a decision is made from.
     *
     * @param reward the paired reward win-rate of the policy
     * @param meanRewardPolicy mean reward of the policy's images
     * @param meanRewardBaseline mean reward of the baseline's images
     * @param judge the judge's summary, or null when no judge was used
     */
    public record Evidence(WinRate reward, double meanRewardPolicy, double meanRewardBaseline, JudgeSummary judge) {
        /** Checks the reward win-rate is given. */
        public Evidence {
            Objects.requireNonNull(reward, "reward");
        }
    }

    /**
     * @param decision PROMOTED or REJECTED
     * @param reason which rule decided, with the numbers, e.g. "reward win-rate 62.5% >= 50.0%; ..."
     */
    public record Verdict(Decision decision, String reason) {
    }

    /**
     * Applies the rule.
     *
     * @param e the measurements
     * @return the decision and the reason
     */
    public Verdict decide(Evidence e) {
        JudgeSummary judge = e.judge();
        if (judge != null && e.meanRewardPolicy() > e.meanRewardBaseline()
                && judge.policyAccuracy() < judge.baselineAccuracy() - hackingEpsilon) {
            return reject(REWARD_UP_JUDGE_DOWN + ": mean reward " + num(e.meanRewardPolicy()) + " > "
                    + num(e.meanRewardBaseline()) + " but judge accuracy " + num(judge.policyAccuracy()) + " < "
                    + num(judge.baselineAccuracy()) + " - " + num(hackingEpsilon));
        }
        WinRate reward = e.reward();
        if (reward.ties() == reward.n() && (judge == null || judge.winRate().ties() == judge.winRate().n())) {
            return reject("no difference from the baseline: all " + reward.n() + " pairs tied on reward"
                    + (judge == null ? "" : " and judge"));
        }
        String rewardPart = "reward win-rate " + pct(reward.rate());
        if (!(reward.rate() >= minRewardWinRate)) {
            return reject(rewardPart + " < " + pct(minRewardWinRate));
        }
        rewardPart += " >= " + pct(minRewardWinRate);
        if (judge == null) {
            return new Verdict(Decision.PROMOTED, rewardPart + " (no judge)");
        }
        WinRate j = judge.winRate();
        if (j.lower() > judgeLowerBoundAbove) {
            return new Verdict(Decision.PROMOTED, rewardPart + "; judge win-rate " + pct(j.rate())
                    + " with 95% lower bound " + pct(j.lower()) + " > " + pct(judgeLowerBoundAbove));
        }
        if (j.rate() >= minJudgeWinRate) {
            return new Verdict(Decision.PROMOTED, rewardPart + "; judge win-rate " + pct(j.rate()) + " >= "
                    + pct(minJudgeWinRate) + " (95% lower bound " + pct(j.lower()) + ")");
        }
        return reject(rewardPart + ", but judge win-rate " + pct(j.rate()) + " < " + pct(minJudgeWinRate)
                + " and its 95% lower bound " + pct(j.lower()) + " <= " + pct(judgeLowerBoundAbove));
    }

    private static Verdict reject(String reason) {
        return new Verdict(Decision.REJECTED, reason);
    }

    static String pct(double v) {
        return Double.isInfinite(v) ? "inf" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
