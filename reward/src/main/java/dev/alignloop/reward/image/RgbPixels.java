package dev.alignloop.reward.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DirectColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;

/**
 * Interleaved 8-bit RGB pixels as PIL's {@code image.convert("RGB")} would produce them.
 *
 * <p>Why not {@link BufferedImage#getRGB}: for grayscale images Java converts its linear gray
 * colour space to sRGB, changing every value, while PIL replicates the gray byte. So samples are
 * read from the raster whenever the colour model allows; alpha is dropped (not composited), as in
 * PIL. 16-bit RGB keeps the high byte (PIL's {@code RGB;16B}); 16-bit gray is clipped to 255 as
 * PIL's {@code I;16 -> RGB} does.
 *
 * @param width  pixels per row
 * @param height rows
 * @param rgb    {@code height * width * 3} bytes, row-major
 */
public record RgbPixels(int width, int height, byte[] rgb) {

    /** Validates that the buffer matches the size. */
    public RgbPixels {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("expected " + width * height * 3 + " RGB bytes, got " + rgb.length);
        }
    }

    /** Extracts the RGB bytes of any {@link BufferedImage}. */
    public static RgbPixels of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] packed = packedIntRgb(image);
        if (packed != null) {
            // TYPE_INT_RGB (what Png.decode returns): read the packed ints directly; the generic
            // path below goes through the sample model per pixel and band.
            byte[] out = new byte[w * h * 3];
            for (int i = 0; i < packed.length; i++) {
                int p = packed[i];
                out[i * 3] = (byte) (p >> 16);
                out[i * 3 + 1] = (byte) (p >> 8);
                out[i * 3 + 2] = (byte) p;
            }
            return new RgbPixels(w, h, out);
        }
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        int csType = cm.getColorSpace().getType();
        boolean plain = (cm instanceof ComponentColorModel || cm instanceof DirectColorModel)
                && !cm.isAlphaPremultiplied();
        if (plain && csType == ColorSpace.TYPE_GRAY) {
            int bits = cm.getComponentSize(0);
            int[] g = raster.getSamples(0, 0, w, h, 0, (int[]) null);
            byte[] out = new byte[w * h * 3];
            for (int i = 0; i < g.length; i++) {
                int v = bits <= 8 ? g[i] : Math.min(g[i], 255);
                byte b = (byte) v;
                out[i * 3] = b;
                out[i * 3 + 1] = b;
                out[i * 3 + 2] = b;
            }
            return new RgbPixels(w, h, out);
        }
        if (plain && cm.getColorSpace().isCS_sRGB()) {
            byte[] out = new byte[w * h * 3];
            int[] band = new int[w * h];
            for (int c = 0; c < 3; c++) {
                int shift = Math.max(0, cm.getComponentSize(c) - 8);
                raster.getSamples(0, 0, w, h, c, band);
                for (int i = 0; i < band.length; i++) {
                    out[i * 3 + c] = (byte) (band[i] >>> shift);
                }
            }
            return new RgbPixels(w, h, out);
        }
        // Palette and anything exotic: Java's own conversion to sRGB (exact for palettes).
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        byte[] out = new byte[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            out[i * 3] = (byte) (argb[i] >> 16);
            out[i * 3 + 1] = (byte) (argb[i] >> 8);
            out[i * 3 + 2] = (byte) argb[i];
        }
        return new RgbPixels(w, h, out);
    }

    /**
     * The pixel array of a {@link BufferedImage#TYPE_INT_RGB} image whose raster is exactly its
     * own {@code width * height} ints (not a sub-image view), else null.
     */
    static int[] packedIntRgb(BufferedImage image) {
        if (image.getType() != BufferedImage.TYPE_INT_RGB) {
            return null;
        }
        WritableRaster raster = image.getRaster();
        if (raster.getParent() != null || raster.getSampleModelTranslateX() != 0
                || raster.getSampleModelTranslateY() != 0
                || !(raster.getDataBuffer() instanceof DataBufferInt db) || db.getNumBanks() != 1 || db.getOffset() != 0
                || !(raster.getSampleModel() instanceof SinglePixelPackedSampleModel sm)
                || sm.getScanlineStride() != image.getWidth()) {
            return null;
        }
        int[] data = db.getData();
        return data.length == image.getWidth() * image.getHeight() ? data : null;
    }
}
