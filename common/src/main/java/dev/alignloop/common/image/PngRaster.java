package dev.alignloop.common.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The pixel half of {@link Png#decode}: inflates the IDAT data of a non-interlaced 8-bit RGB PNG
 * and unfilters it straight into the {@code int[]} of a {@link BufferedImage#TYPE_INT_RGB}
 * raster. ImageIO, which this replaces for such images, looks up a reader per call, decodes into
 * a 3-byte BGR raster and then needs a second, per-pixel colour-model conversion to INT_RGB; this
 * path does one pass over the bytes.
 *
 * <p>Strict: the zlib stream must be well formed, its Adler-32 must match (checked by {@link
 * Inflater}), it must hold exactly {@code height} rows of {@code 1 + 3 * width} bytes and end
 * there (nothing after the last row), and every row must start with a filter type 0–4 (PNG
 * spec §9.2). Anything else is a {@link PngFormatException}. The chunk structure (CRCs, IHDR,
 * IEND) has been checked by {@link Png#checkStructure} before this runs.
 */
final class PngRaster {

    private PngRaster() {
    }

    /**
     * Decodes the pixels.
     *
     * @param idat {offset, length} of each IDAT chunk's data in {@code png}, in file order
     */
    static BufferedImage decodeRgb8(byte[] png, int width, int height, List<int[]> idat) {
        int stride = 3 * width;
        long expected = (long) height * (stride + 1);
        if (expected > Integer.MAX_VALUE - 8) {
            throw new PngFormatException("PNG " + width + "×" + height + " is too large to decode");
        }
        byte[] raw = inflate(png, idat, (int) expected, width, height);

        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] out = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        byte[] prev = new byte[stride]; // the row above the first is all zeros (PNG spec §9.2)
        byte[] cur = new byte[stride];
        for (int y = 0; y < height; y++) {
            int at = y * (stride + 1);
            int filter = raw[at] & 0xFF;
            System.arraycopy(raw, at + 1, cur, 0, stride);
            unfilter(filter, cur, prev, y);
            int o = y * width;
            for (int x = 0, i = 0; x < width; x++, i += 3) {
                out[o + x] = (cur[i] & 0xFF) << 16 | (cur[i + 1] & 0xFF) << 8 | (cur[i + 2] & 0xFF);
            }
            byte[] t = prev;
            prev = cur;
            cur = t;
        }
        return image;
    }

    /** Inflates all IDAT data into exactly {@code expected} bytes, or throws. */
    private static byte[] inflate(byte[] png, List<int[]> idat, int expected, int width, int height) {
        byte[] raw = new byte[expected];
        Inflater inflater = new Inflater();
        try {
            int filled = 0;
            for (int[] chunk : idat) {
                if (chunk[1] == 0) {
                    continue;
                }
                if (inflater.finished()) {
                    throw new PngFormatException("corrupt PNG: IDAT data continues after the end of the zlib stream");
                }
                inflater.setInput(png, chunk[0], chunk[1]);
                while (!inflater.needsInput() && !inflater.finished()) {
                    if (filled == expected) {
                        // room for no more bytes: probe whether the stream holds more than it should
                        if (inflater.inflate(new byte[1]) > 0) {
                            throw tooLong(width, height, expected);
                        }
                        if (inflater.needsDictionary()) {
                            throw new PngFormatException("corrupt PNG: zlib stream needs a preset dictionary");
                        }
                        if (!inflater.finished() && !inflater.needsInput()) {
                            throw new PngFormatException("corrupt PNG: zlib stream does not progress");
                        }
                        continue;
                    }
                    int n = inflater.inflate(raw, filled, expected - filled);
                    filled += n;
                    if (n == 0 && inflater.needsDictionary()) {
                        throw new PngFormatException("corrupt PNG: zlib stream needs a preset dictionary");
                    }
                }
            }
            if (!inflater.finished()) {
                throw new PngFormatException("corrupt PNG: image data ends after " + filled + " of " + expected
                        + " bytes (" + width + "×" + height + " RGB), or the zlib stream is unterminated");
            }
            if (filled != expected) {
                throw new PngFormatException("corrupt PNG: image data holds " + filled + " bytes, a " + width + "×"
                        + height + " RGB image needs " + expected);
            }
            if (inflater.getRemaining() > 0) {
                throw new PngFormatException("corrupt PNG: " + inflater.getRemaining()
                        + " bytes of IDAT data after the end of the zlib stream");
            }
            return raw;
        } catch (DataFormatException e) {
            throw new PngFormatException("corrupt PNG image data (" + width + "×" + height + "): " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private static PngFormatException tooLong(int width, int height, int expected) {
        return new PngFormatException("corrupt PNG: image data holds more than the " + expected + " bytes a " + width
                + "×" + height + " RGB image needs");
    }

    /** Reverses one row's filter in place (bytes per pixel 3); {@code prev} is the unfiltered row above. */
    private static void unfilter(int filter, byte[] cur, byte[] prev, int row) {
        int n = cur.length;
        switch (filter) {
            case 0 -> { // None
            }
            case 1 -> { // Sub
                for (int i = 3; i < n; i++) {
                    cur[i] = (byte) (cur[i] + cur[i - 3]);
                }
            }
            case 2 -> { // Up
                for (int i = 0; i < n; i++) {
                    cur[i] = (byte) (cur[i] + prev[i]);
                }
            }
            case 3 -> { // Average
                for (int i = 0; i < 3; i++) {
                    cur[i] = (byte) (cur[i] + ((prev[i] & 0xFF) >>> 1));
                }
                for (int i = 3; i < n; i++) {
                    cur[i] = (byte) (cur[i] + (((cur[i - 3] & 0xFF) + (prev[i] & 0xFF)) >>> 1));
                }
            }
            case 4 -> { // Paeth
                for (int i = 0; i < 3; i++) {
                    cur[i] = (byte) (cur[i] + prev[i]); // a = c = 0: Paeth picks b
                }
                for (int i = 3; i < n; i++) {
                    int a = cur[i - 3] & 0xFF;
                    int b = prev[i] & 0xFF;
                    int c = prev[i - 3] & 0xFF;
                    int p = a + b - c;
                    int pa = Math.abs(p - a);
                    int pb = Math.abs(p - b);
                    int pc = Math.abs(p - c);
                    int pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                    cur[i] = (byte) (cur[i] + pred);
                }
            }
            default -> throw new PngFormatException("corrupt PNG: row " + row + " has filter type " + filter
                    + " (valid: 0-4)");
        }
    }
}
