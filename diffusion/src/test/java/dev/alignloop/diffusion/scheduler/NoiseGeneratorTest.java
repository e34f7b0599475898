package dev.alignloop.diffusion.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NoiseGeneratorTest {
    @Test
    void documentedAlgorithmGivesKnownValues() {
        // the SplitMix64 + Box-Muller recipe of the Javadoc, computed independently in Python
        float[] expected = {0.8822488784790039f, 1.3884732723236084f, -0.45084986090660095f, 0.6707164645195007f,
            0.18835262954235077f};
        assertArrayEquals(expected, NoiseGenerator.ofSeeds(42).randnFloats(new Shape(5)));
    }

    @Test
    void eachRowDependsOnlyOnItsSeed() {
        float[] batch = NoiseGenerator.ofSeeds(5, 7).randnFloats(new Shape(2, 3, 5));
        float[] alone = NoiseGenerator.ofSeeds(7).randnFloats(new Shape(1, 3, 5));
        assertArrayEquals(alone, Arrays.copyOfRange(batch, 15, 30));
        assertArrayEquals(batch, NoiseGenerator.ofSeeds(5, 7).randnFloats(new Shape(2, 3, 5)));
        assertThrows(IllegalArgumentException.class, () -> NoiseGenerator.ofSeeds(1, 2, 3).randnFloats(new Shape(2, 4)));
    }

    @Test
    void standardNormalMoments() {
        float[] v = NoiseGenerator.ofSeeds(123).randnFloats(new Shape(200_000));
        double mean = 0;
        double sq = 0;
        for (float x : v) {
            mean += x;
            sq += x * x;
        }
        mean /= v.length;
        assertEquals(0, mean, 0.01);
        assertEquals(1, Math.sqrt(sq / v.length - mean * mean), 0.01);
    }

    @Test
    void replayHandsOutValuesInOrder() {
        NoiseGenerator g = NoiseGenerator.replaying(new float[] {1, 2, 3, 4});
        assertArrayEquals(new float[] {1, 2}, g.randnFloats(new Shape(2)));
        assertArrayEquals(new float[] {3, 4}, g.randnFloats(new Shape(1, 2)));
        assertThrows(IllegalStateException.class, () -> g.randnFloats(new Shape(1)));
    }

    @Test
    void thresholdQuantileFollowsTorch() {
        float[] sorted = {0f, 1f, 2f, 3f, 4f};
        assertEquals(3.98f, DynamicThresholding.quantile(sorted, 0.995f), 1e-6);
        assertEquals(2f, DynamicThresholding.quantile(sorted, 0.5f));
        assertEquals(4f, DynamicThresholding.quantile(sorted, 1f));
    }
}
