package dev.alignloop.shapes.judge;

/**
 * Thresholds of the {@link SceneJudge}. Lengths and areas are fractions of the image side N (or
 * of N²), so one configuration works at 32×32 and 64×64.
 *
 * @param minAreaFraction    components with fewer labelled pixels than this × N² are noise
 * @param coverageThreshold  a pixel belongs to an object when its estimated coverage by the
 *                           object's colour (position along the background→colour line) is at
 *                           least this; 0.5 splits antialiased edges fairly
 * @param maxResidual        ...and its distance from that line, relative to the line's length,
 *                           is at most this (otherwise the pixel is an unknown colour)
 * @param smallMax           an object whose estimated side is below this × N is small
 * @param largeMin           an object whose estimated side is above this × N is large
 * @param relationMinOffset  a relation needs the centroids at least this × N apart along its axis
 * @param relationDominance  ...and the primary offset above this × the cross offset
 * @param maxMatched         at most this many of the largest components are candidates when
 *                           matching prompt objects (bounds the assignment search)
 */
public record JudgeConfig(double minAreaFraction, double coverageThreshold, double maxResidual, double smallMax,
                          double largeMin, double relationMinOffset, double relationDominance, int maxMatched) {

    public JudgeConfig {
        if (!(minAreaFraction > 0 && minAreaFraction < 0.1)) {
            throw new IllegalArgumentException("minAreaFraction must be in (0, 0.1), got " + minAreaFraction);
        }
        if (!(coverageThreshold > 0 && coverageThreshold < 1)) {
            throw new IllegalArgumentException("coverageThreshold must be in (0,1), got " + coverageThreshold);
        }
        if (!(maxResidual > 0 && maxResidual <= 1)) {
            throw new IllegalArgumentException("maxResidual must be in (0,1], got " + maxResidual);
        }
        if (!(smallMax > 0 && smallMax <= largeMin && largeMin < 1)) {
            throw new IllegalArgumentException("need 0 < smallMax <= largeMin < 1, got smallMax=" + smallMax
                    + " largeMin=" + largeMin);
        }
        if (!(relationMinOffset >= 0 && relationMinOffset < 1)) {
            throw new IllegalArgumentException("relationMinOffset must be in [0,1), got " + relationMinOffset);
        }
        if (!(relationDominance >= 0)) {
            throw new IllegalArgumentException("relationDominance must be >= 0, got " + relationDominance);
        }
        if (maxMatched < 3 || maxMatched > 24) {
            throw new IllegalArgumentException("maxMatched must be in 3..24, got " + maxMatched);
        }
    }

    /**
     * Defaults: noise below 0.5% of the image; coverage 0.5; residual 0.35; small below 0.25 N,
     * large above 0.335 N (the renderer draws 0.22 / 0.30 / 0.38 N ± 6%); relations need 0.05 N
     * and a dominant axis; 12 candidate components.
     */
    public static JudgeConfig defaults() {
        return new JudgeConfig(0.005, 0.5, 0.35, 0.25, 0.335, 0.05, 1.0, 12);
    }
}
