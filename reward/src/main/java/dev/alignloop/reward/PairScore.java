package dev.alignloop.reward;

/**
 * The reward verdict on one image pair.
 *
 * @param scoreA score of image A
 * @param scoreB score of image B
 * @param margin {@code scoreA - scoreB} (signed; a label's margin is its absolute value)
 * @param winner A or B, or TIE when {@code |margin|} is below the scorer's threshold (or exactly 0)
 */
public record PairScore(double scoreA, double scoreB, double margin, Winner winner) {

    /** Which image won. */
    public enum Winner {
        /** Image A scored higher by at least the threshold. */
        A,
        /** Image B scored higher by at least the threshold. */
        B,
        /** The margin is below the threshold: no label. */
        TIE
    }

    /** Compares two scores: TIE when {@code |a - b| < tieThreshold} or {@code a == b}. */
    public static PairScore of(double scoreA, double scoreB, double tieThreshold) {
        double margin = scoreA - scoreB;
        Winner w = margin == 0 || Math.abs(margin) < tieThreshold ? Winner.TIE : margin > 0 ? Winner.A : Winner.B;
        return new PairScore(scoreA, scoreB, margin, w);
    }

    /** {@code |margin|}. */
    public double absMargin() {
        return Math.abs(margin);
    }

    /** The winner's score (A's on a tie). */
    public double winnerScore() {
        return winner == Winner.B ? scoreB : scoreA;
    }

    /** The loser's score (B's on a tie). */
    public double loserScore() {
        return winner == Winner.B ? scoreA : scoreB;
    }
}
