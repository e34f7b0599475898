package dev.alignloop.reward.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code convert("RGB")} parity for the PNG modes ImageIO decodes differently from PIL. */
class RgbPixelsTest {

    @ParameterizedTest
    @ValueSource(strings = {"L", "LA", "RGBA", "P"})
    void convertsLikePil(String mode) throws IOException {
        RgbPixels got = RgbPixels.of(PilResamplerTest.fixture("mode-" + mode + ".png"));
        RgbPixels expected = RgbPixels.of(PilResamplerTest.fixture("mode-" + mode + "-as-rgb.png"));
        assertArrayEquals(expected.rgb(), got.rgb(), "mode " + mode);
    }
}
