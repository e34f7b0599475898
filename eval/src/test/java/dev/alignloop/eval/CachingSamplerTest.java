package dev.alignloop.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachingSamplerTest {
    @Test
    void samplesEachPromptAndSeedOnce() {
        List<Integer> calls = new ArrayList<>();
        ImageSampler counting = (prompts, seeds) -> {
            calls.add(prompts.size());
            List<BufferedImage> out = new ArrayList<>();
            for (int i = 0; i < prompts.size(); i++) {
                out.add(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB));
            }
            return out;
        };
        CachingSampler cache = new CachingSampler(counting);
        List<BufferedImage> first = cache.sample(List.of("a", "b"), new long[] {1, 1});
        List<BufferedImage> second = cache.sample(List.of("a", "b", "a"), new long[] {1, 1, 2});
        assertEquals(List.of(2, 1), calls, "only the new (prompt, seed) is sampled the second time");
        assertSame(first.get(0), second.get(0));
        assertSame(first.get(1), second.get(1));
        assertEquals(3, cache.size());
    }
}
