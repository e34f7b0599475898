package dev.alignloop.common.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/**
 * Strict PNG encoding and decoding for service boundaries (images travel between services as
 * PNG blobs). Only 8-bit RGB (colour type 2) is written and accepted: a grey, palette, alpha or
 * 16-bit image at a boundary means someone else's pipeline is misconfigured, and silently
 * converting it would hide that.
 *
 * <p>Decoding first walks the chunk structure itself — signature, chunk lengths, CRCs, IHDR
 * first, IDAT present, IEND last — because {@link ImageIO} reports truncation and corruption
 * vaguely (or not at all), then inflates and unfilters the pixels itself ({@link PngRaster}:
 * the zlib stream must end exactly at the last row, its Adler-32 must match and every row must
 * name a valid filter), or lets ImageIO do it for interlaced images.
 */
public final class Png {

    /** Largest accepted side, a guard against decompression bombs in untrusted blobs. */
    public static final int MAX_SIDE = 4096;

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        ImageIO.setUseCache(false); // no temp files from service processes
    }

    private Png() {
    }

    /** Encodes an image as an 8-bit RGB PNG; alpha, if any, is dropped. Deterministic. */
    public static byte[] encode(BufferedImage image) {
        Objects.requireNonNull(image, "image");
        BufferedImage rgb = image;
        if (image.getType() != BufferedImage.TYPE_INT_RGB) {
            rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            int w = image.getWidth();
            rgb.setRGB(0, 0, w, image.getHeight(), image.getRGB(0, 0, w, image.getHeight(), null, 0, w), 0, w);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try {
            if (!ImageIO.write(rgb, "png", out)) {
                throw new IllegalStateException("no PNG writer available in this JDK");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding to memory failed", e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes an 8-bit RGB PNG into a {@link BufferedImage#TYPE_INT_RGB} image.
     *
     * @throws PngFormatException if the bytes are not a PNG, are truncated or corrupt, or are
     *                            not 8-bit RGB
     */
    public static BufferedImage decode(byte[] png) {
        Objects.requireNonNull(png, "png");
        return decode(png, checkStructure(png));
    }

    /**
     * Decodes like {@link #decode(byte[])} and checks the size.
     *
     * @throws PngFormatException also when the image is not {@code width×height}
     */
    public static BufferedImage decode(byte[] png, int width, int height) {
        Objects.requireNonNull(png, "png");
        Structure s = checkStructure(png);
        if (s.width() != width || s.height() != height) {
            throw new PngFormatException("PNG is " + s.width() + "×" + s.height() + ", expected " + width + "×" + height);
        }
        return decode(png, s);
    }

    /**
     * Non-interlaced images (everything {@link #encode} writes) are inflated and unfiltered
     * straight into the {@code TYPE_INT_RGB} raster ({@link PngRaster}); Adam7-interlaced ones go
     * through ImageIO.
     */
    private static BufferedImage decode(byte[] png, Structure s) {
        if (s.interlace() == 0) {
            return PngRaster.decodeRgb8(png, s.width(), s.height(), s.idat());
        }
        BufferedImage decoded;
        try {
            decoded = ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException | RuntimeException e) {
            throw new PngFormatException("corrupt PNG image data (" + s.width() + "×" + s.height() + ", "
                    + png.length + " bytes): " + e.getMessage(), e);
        }
        if (decoded == null) {
            throw new PngFormatException("no PNG reader accepted the " + png.length + " bytes");
        }
        if (decoded.getType() == BufferedImage.TYPE_INT_RGB) {
            return decoded;
        }
        int w = decoded.getWidth();
        int h = decoded.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, decoded.getRGB(0, 0, w, h, null, 0, w), 0, w);
        return out;
    }

    /**
     * What the chunk walk learned.
     *
     * @param idat {offset, length} of each IDAT chunk's data, in file order
     */
    record Structure(int width, int height, int interlace, List<int[]> idat) {}

    /** Validates signature and chunks; returns the IHDR fields and where the IDAT data is. */
    static Structure checkStructure(byte[] png) {
        if (png.length < SIGNATURE.length) {
            throw new PngFormatException("not a PNG: only " + png.length + " bytes");
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (png[i] != SIGNATURE[i]) {
                throw new PngFormatException("not a PNG: bad signature (first bytes " + hex(png, 8) + ")");
            }
        }
        ByteBuffer buf = ByteBuffer.wrap(png);
        buf.position(SIGNATURE.length);
        int[] size = null; // {width, height, interlace}
        List<int[]> idat = new ArrayList<>(2);
        CRC32 c = new CRC32();
        while (true) {
            int at = buf.position();
            if (buf.remaining() < 12) {
                throw new PngFormatException(buf.hasRemaining()
                        ? "truncated PNG: chunk at byte " + at + " is cut off after " + buf.remaining() + " bytes"
                        : "truncated PNG: data ends at byte " + at + " before the " + (size == null ? "IHDR" : "IEND")
                                + " chunk");
            }
            long length = Integer.toUnsignedLong(buf.getInt());
            byte[] typeBytes = new byte[4];
            buf.get(typeBytes);
            String type = new String(typeBytes, StandardCharsets.ISO_8859_1);
            if (length > buf.remaining() - 4) {
                throw new PngFormatException("truncated PNG: chunk " + printable(type) + " at byte " + at
                        + " declares " + length + " bytes but only " + Math.max(0, buf.remaining() - 4) + " remain");
            }
            int dataStart = buf.position();
            buf.position(dataStart + (int) length);
            long crc = Integer.toUnsignedLong(buf.getInt());
            c.reset();
            c.update(png, dataStart - 4, (int) length + 4);
            if (c.getValue() != crc) {
                throw new PngFormatException("corrupt PNG: CRC mismatch in chunk " + printable(type) + " at byte " + at);
            }
            if (size == null) {
                if (!type.equals("IHDR") || length != 13) {
                    throw new PngFormatException("corrupt PNG: first chunk is " + printable(type) + ", expected IHDR");
                }
                size = checkHeader(ByteBuffer.wrap(png, dataStart, 13));
            } else if (type.equals("IDAT")) {
                idat.add(new int[] {dataStart, (int) length});
            } else if (type.equals("IEND")) {
                if (idat.isEmpty()) {
                    throw new PngFormatException("corrupt PNG: IEND before any IDAT (no image data)");
                }
                if (buf.hasRemaining()) {
                    throw new PngFormatException("corrupt PNG: " + buf.remaining() + " bytes after IEND");
                }
                return new Structure(size[0], size[1], size[2], idat);
            }
        }
    }

    private static int[] checkHeader(ByteBuffer ihdr) {
        int width = ihdr.getInt();
        int height = ihdr.getInt();
        int bitDepth = ihdr.get() & 0xFF;
        int colorType = ihdr.get() & 0xFF;
        int compression = ihdr.get() & 0xFF; // only 0 (deflate) is defined
        int filterMethod = ihdr.get() & 0xFF; // only 0 (adaptive, five types) is defined
        int interlace = ihdr.get() & 0xFF;
        if (width <= 0 || height <= 0 || width > MAX_SIDE || height > MAX_SIDE) {
            throw new PngFormatException("PNG size " + Integer.toUnsignedString(width) + "×"
                    + Integer.toUnsignedString(height) + " is outside 1.." + MAX_SIDE);
        }
        if (colorType != 2 || bitDepth != 8) {
            throw new PngFormatException("PNG is " + bitDepth + "-bit " + colorTypeName(colorType)
                    + " (colour type " + colorType + "); only 8-bit RGB (colour type 2) is accepted");
        }
        if (compression != 0 || filterMethod != 0) {
            throw new PngFormatException("corrupt PNG: compression method " + compression + ", filter method "
                    + filterMethod + " (only 0 and 0 are defined)");
        }
        if (interlace > 1) {
            throw new PngFormatException("corrupt PNG: interlace method " + interlace);
        }
        return new int[] {width, height, interlace};
    }

    private static String colorTypeName(int t) {
        return switch (t) {
            case 0 -> "greyscale";
            case 2 -> "RGB";
            case 3 -> "palette";
            case 4 -> "greyscale+alpha";
            case 6 -> "RGBA";
            default -> "unknown";
        };
    }

    private static String printable(String type) {
        return type.chars().allMatch(ch -> ch >= 'A' && ch <= 'z') ? type : "(binary type)";
    }

    private static String hex(byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(n, b.length); i++) {
            sb.append(String.format("%02x", b[i] & 0xFF));
        }
        return sb.toString();
    }
}
