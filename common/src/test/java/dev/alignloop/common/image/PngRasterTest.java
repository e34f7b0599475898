package dev.alignloop.common.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The direct decode path of {@link Png#decode}: pixels equal ImageIO's for every PNG row filter,
 * for IDAT data split over several chunks, and broken zlib/filter data is rejected.
 */
class PngRasterTest {

    private static final int W = 13; // odd sizes: rows are not a multiple of anything convenient
    private static final int H = 7;

    private static int[] randomPixels(long seed) {
        Random rnd = new Random(seed);
        int[] px = new int[W * H];
        for (int i = 0; i < px.length; i++) {
            // smooth-ish content so Sub/Up/Average/Paeth produce varied residuals, plus noise
            px[i] = rnd.nextInt(4) == 0 ? rnd.nextInt(0x1000000) : (i * 0x010305) & 0xFFFFFF;
        }
        return px;
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    /** Filtered scanlines (one filter byte + RGB per row), filter {@code f} on every row or per row if -1. */
    private static byte[] filtered(int[] px, int f) {
        int stride = 3 * W;
        byte[] out = new byte[H * (stride + 1)];
        byte[] prev = new byte[stride];
        for (int y = 0; y < H; y++) {
            byte[] cur = new byte[stride];
            for (int x = 0; x < W; x++) {
                int p = px[y * W + x];
                cur[3 * x] = (byte) (p >> 16);
                cur[3 * x + 1] = (byte) (p >> 8);
                cur[3 * x + 2] = (byte) p;
            }
            int filter = f >= 0 ? f : y % 5;
            out[y * (stride + 1)] = (byte) filter;
            for (int i = 0; i < stride; i++) {
                int a = i >= 3 ? cur[i - 3] & 0xFF : 0;
                int b = prev[i] & 0xFF;
                int c = i >= 3 ? prev[i - 3] & 0xFF : 0;
                int pred = switch (filter) {
                    case 0 -> 0;
                    case 1 -> a;
                    case 2 -> b;
                    case 3 -> (a + b) >>> 1;
                    default -> {
                        int p = a + b - c;
                        int pa = Math.abs(p - a);
                        int pb = Math.abs(p - b);
                        int pc = Math.abs(p - c);
                        yield pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                    }
                };
                out[y * (stride + 1) + 1 + i] = (byte) (cur[i] - pred);
            }
            prev = cur;
        }
        return out;
    }

    private static byte[] zlib(byte[] data) {
        Deflater d = new Deflater();
        d.setInput(data);
        d.finish();
        byte[] buf = new byte[data.length * 2 + 64];
        int n = d.deflate(buf);
        d.end();
        return Arrays.copyOf(buf, n);
    }

    /** A PNG with the given zlib data, split into {@code parts} IDAT chunks. */
    private static byte[] png(byte[] zlib, int parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(W).putInt(H).put((byte) 8).put((byte) 2).put((byte) 0)
                .put((byte) 0).put((byte) 0).array());
        int step = (zlib.length + parts - 1) / parts;
        for (int at = 0; at < zlib.length; at += step) {
            chunk(out, "IDAT", Arrays.copyOfRange(zlib, at, Math.min(zlib.length, at + step)));
        }
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static void assertRejected(byte[] png, String fragment) {
        PngFormatException e = assertThrows(PngFormatException.class, () -> Png.decode(png, W, H));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void everyFilterTypeDecodesToTheSourcePixelsAndAgreesWithImageIo() throws IOException {
        int[] px = randomPixels(1);
        for (int f = -1; f <= 4; f++) {
            for (int parts : new int[] {1, 3}) {
                byte[] png = png(zlib(filtered(px, f)), parts);
                BufferedImage direct = Png.decode(png, W, H);
                assertEquals(BufferedImage.TYPE_INT_RGB, direct.getType());
                assertArrayEquals(px, Arrays.stream(pixels(direct)).map(p -> p & 0xFFFFFF).toArray(),
                        "filter " + f + ", " + parts + " IDAT chunks");
                BufferedImage imageIo = ImageIO.read(new ByteArrayInputStream(png));
                assertArrayEquals(pixels(imageIo), pixels(direct), "filter " + f);
            }
        }
    }

    @Test
    void imagesFromOurEncoderRoundTrip() {
        Random rnd = new Random(3);
        for (int side : new int[] {1, 2, 31, 64}) {
            BufferedImage img = new BufferedImage(side, side + 1, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < side + 1; y++) {
                for (int x = 0; x < side; x++) {
                    img.setRGB(x, y, rnd.nextBoolean() ? rnd.nextInt(0x1000000) : x * 0x030201 + y * 0x010203);
                }
            }
            assertArrayEquals(pixels(img), pixels(Png.decode(Png.encode(img), side, side + 1)), "side " + side);
        }
    }

    @Test
    void rejectsUndefinedCompressionOrFilterMethods() {
        byte[] good = png(zlib(filtered(randomPixels(5), 0)), 1);
        for (int field : new int[] {10, 11}) { // IHDR data: width 4, height 4, depth, colour, compression, filter
            byte[] bad = good.clone();
            bad[16 + field] = 1;
            CRC32 crc = new CRC32();
            crc.update(bad, 12, 17); // type + data
            ByteBuffer.wrap(bad).putInt(29, (int) crc.getValue());
            assertRejected(bad, "compression method " + (field == 10 ? 1 : 0) + ", filter method "
                    + (field == 11 ? 1 : 0));
        }
    }

    @Test
    void rejectsBadFilterTypes() {
        byte[] raw = filtered(randomPixels(2), 0);
        raw[3 * (3 * W + 1)] = 5; // row 3
        assertRejected(png(zlib(raw), 1), "row 3 has filter type 5");
    }

    @Test
    void rejectsTooLittleOrTooMuchImageData() {
        byte[] raw = filtered(randomPixels(3), 1);
        assertRejected(png(zlib(Arrays.copyOf(raw, raw.length - 1)), 1), "image data holds " + (raw.length - 1) + " bytes");
        assertRejected(png(zlib(Arrays.copyOf(raw, raw.length + 1)), 1), "more than the " + raw.length + " bytes");
    }

    @Test
    void rejectsBrokenZlibStreams() {
        byte[] z = zlib(filtered(randomPixels(4), 2));
        byte[] badAdler = z.clone();
        badAdler[z.length - 1] ^= 1; // CRCs are recomputed by png(): only zlib's own check can catch this
        assertRejected(png(badAdler, 1), "incorrect data check");
        assertRejected(png(Arrays.copyOf(z, z.length - 6), 2), "image data ends after");
        byte[] garbage = z.clone();
        garbage[0] = 0x12; // not a zlib header
        assertRejected(png(garbage, 1), "corrupt PNG image data");
        byte[] trailing = Arrays.copyOf(z, z.length + 4);
        assertRejected(png(trailing, 1), "4 bytes of IDAT data after the end of the zlib stream");
    }
}
