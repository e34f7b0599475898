package dev.alignloop.reward.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Byte-exact comparison with Pillow (fixtures from src/test/resources/pil/make_fixtures.py). */
class PilResamplerTest {

    static BufferedImage fixture(String name) throws IOException {
        try (InputStream in = PilResamplerTest.class.getResourceAsStream("/pil/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test fixture /pil/" + name);
            }
            return ImageIO.read(in);
        }
    }

    @ParameterizedTest(name = "{0} {1}x{2}")
    @CsvSource({
        "bicubic, 20, 15", "bicubic, 24, 41", "bicubic, 53, 17", "bicubic, 100, 77", "bicubic, 7, 5",
        "bicubic, 60, 30", "bilinear, 30, 22", "bilinear, 90, 50", "lanczos, 40, 60", "hamming, 26, 33",
        "box, 13, 10"})
    void matchesPillowExactly(String filter, int w, int h) throws IOException {
        RgbPixels src = RgbPixels.of(fixture("src-53x41.png"));
        RgbPixels expected = RgbPixels.of(fixture(filter + "-" + w + "x" + h + ".png"));
        byte[] got = PilResampler.resize(src.rgb(), src.width(), src.height(), w, h,
                Resample.valueOf(filter.toUpperCase()));
        assertArrayEquals(expected.rgb(), got, () -> filter + " " + w + "x" + h + " differs from Pillow");
    }

    @Test
    void sameSizeIsACopy() throws IOException {
        RgbPixels src = RgbPixels.of(fixture("src-53x41.png"));
        byte[] got = PilResampler.resize(src.rgb(), 53, 41, 53, 41, Resample.BICUBIC);
        assertArrayEquals(src.rgb(), got);
    }

    @Test
    void rejectsNearestAndBadSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Resample.fromPilCode(0));
        assertEquals(true, e.getMessage().contains("3=BICUBIC"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> PilResampler.resize(new byte[12], 2, 2, 0, 3, Resample.BICUBIC));
    }
}
