package dev.alignloop.shapes.render;

/**
 * How scenes are drawn. Sizes and distances are fractions of the image side, so a 64×64
 * scene is a 32×32 scene at twice the resolution.
 *
 * @param imageSize          image side N in pixels (square images), 16..1024
 * @param sizeJitter         relative size jitter: the nominal size is scaled by 1 ± this, 0..0.2
 * @param maxRotationDegrees squares and triangles are rotated uniformly within ± this, 0..30
 * @param colorJitter        each channel of an object colour moves by up to ± this, 0..40
 * @param backgroundJitter   each background channel moves towards grey by up to this, 0..40
 */
public record RenderConfig(int imageSize, double sizeJitter, double maxRotationDegrees, int colorJitter,
                           int backgroundJitter) {

    /** Nominal object side for a "small" object, as a fraction of N. */
    public static final double SMALL_FRACTION = 0.22;
    /** Nominal object side when the caption states no size, as a fraction of N. */
    public static final double MEDIUM_FRACTION = 0.30;
    /** Nominal object side for a "large" object, as a fraction of N. */
    public static final double LARGE_FRACTION = 0.38;

    public RenderConfig {
        if (imageSize < 16 || imageSize > 1024) {
            throw new IllegalArgumentException("imageSize must be in 16..1024, got " + imageSize);
        }
        if (!(sizeJitter >= 0 && sizeJitter <= 0.2)) {
            throw new IllegalArgumentException("sizeJitter must be in [0,0.2], got " + sizeJitter);
        }
        if (!(maxRotationDegrees >= 0 && maxRotationDegrees <= 30)) {
            // beyond 30° a rotated square's bounding box no longer fits two large objects side by side at 32 px
            throw new IllegalArgumentException("maxRotationDegrees must be in [0,30], got " + maxRotationDegrees);
        }
        if (colorJitter < 0 || colorJitter > 40) {
            throw new IllegalArgumentException("colorJitter must be in 0..40, got " + colorJitter);
        }
        if (backgroundJitter < 0 || backgroundJitter > 40) {
            throw new IllegalArgumentException("backgroundJitter must be in 0..40, got " + backgroundJitter);
        }
    }

    /** The default variation at the given image size: ±6% size, ±15° rotation, ±12 colour, 6 background. */
    public static RenderConfig defaults(int imageSize) {
        return new RenderConfig(imageSize, 0.06, 15, 12, 6);
    }

    /** No variation at all (useful for golden images and debugging). */
    public static RenderConfig exact(int imageSize) {
        return new RenderConfig(imageSize, 0, 0, 0, 0);
    }

    /** Minimum gap in pixels between the bounding boxes of two objects: keeps components apart. */
    public double minGap() {
        return Math.max(2.0, 0.07 * imageSize);
    }

    /** Minimum distance in pixels between an object's bounding box and the image border. */
    public double borderMargin() {
        return Math.max(1.0, 0.03 * imageSize);
    }
}
