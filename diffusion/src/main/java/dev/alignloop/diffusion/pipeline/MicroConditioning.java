package dev.alignloop.diffusion.pipeline;

/**
 * SDXL's size and crop conditioning ({@code _get_add_time_ids}): {@code time_ids = original_size +
 * crops_coords_top_left + target_size}, as (height, width) and (top, left) pairs.
 *
 * @param originalHeight {@code original_size[0]}
 * @param originalWidth {@code original_size[1]}
 * @param cropTop {@code crops_coords_top_left[0]}
 * @param cropLeft {@code crops_coords_top_left[1]}
 * @param targetHeight {@code target_size[0]}
 * @param targetWidth {@code target_size[1]}
 */
public record MicroConditioning(int originalHeight, int originalWidth, int cropTop, int cropLeft, int targetHeight,
        int targetWidth) {
    /** Sizes must be positive and crops non-negative. */
    public MicroConditioning {
        if (originalHeight <= 0 || originalWidth <= 0 || targetHeight <= 0 || targetWidth <= 0 || cropTop < 0
                || cropLeft < 0) {
            throw new IllegalArgumentException("invalid micro-conditioning " + originalHeight + "x" + originalWidth
                    + " crop " + cropTop + "," + cropLeft + " target " + targetHeight + "x" + targetWidth);
        }
    }

    /**
     * The pipeline default: {@code original_size = target_size = (height, width)}, no crop.
     *
     * @param height image height
     * @param width image width
     * @return the default conditioning
     */
    public static MicroConditioning of(int height, int width) {
        return new MicroConditioning(height, width, 0, 0, height, width);
    }

    /** @return the six {@code time_ids} values */
    public float[] timeIds() {
        return new float[] {originalHeight, originalWidth, cropTop, cropLeft, targetHeight, targetWidth};
    }
}
