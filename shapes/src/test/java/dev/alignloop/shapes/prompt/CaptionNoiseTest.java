package dev.alignloop.shapes.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CaptionNoiseTest {
    private static final SceneSpec RELATION = PromptGrammar.parse("a small red square left of a large blue circle");
    private static final SceneSpec COUNTED = PromptGrammar.parse("two small green triangles");

    @Test
    void noNoiseLeavesCaptionsUntouched() {
        CaptionNoise none = new CaptionNoise(CaptionNoise.Config.none());
        SplittableRandom rng = new SplittableRandom(1);
        for (SceneSpec s : new PromptSampler(PromptSplit.Part.TRAIN).sample(200, 3)) {
            CaptionNoise.Noised n = none.apply(s, rng);
            assertEquals(s, n.noisy());
            assertTrue(n.corruptions().isEmpty());
        }
    }

    @Test
    void eachCorruptionDoesWhatItSays() {
        SplittableRandom rng = new SplittableRandom(7);
        assertEquals("a small blue square left of a large red circle",
                new CaptionNoise(new CaptionNoise.Config(0, 0, 1, 0, 0)).caption(RELATION, rng));
        assertEquals("a small red square right of a large blue circle",
                new CaptionNoise(new CaptionNoise.Config(0, 0, 0, 1, 0)).caption(RELATION, rng));
        assertEquals("a small square left of a large circle",
                new CaptionNoise(new CaptionNoise.Config(1, 0, 0, 0, 0)).caption(RELATION, rng));
        assertEquals("a red square left of a blue circle",
                new CaptionNoise(new CaptionNoise.Config(0, 1, 0, 0, 0)).caption(RELATION, rng));
        for (int i = 0; i < 20; i++) {
            CaptionNoise.Noised n = new CaptionNoise(new CaptionNoise.Config(0, 0, 0, 0, 1)).apply(COUNTED, rng);
            assertTrue(n.noisy().objects().get(0).count() != 2, n.caption());
            assertEquals(Set.of(CaptionNoise.Corruption.CHANGE_COUNT), n.corruptions());
        }
    }

    @Test
    void defaultNoiseIsSeededParseableAndNearItsRates() {
        CaptionNoise noise = new CaptionNoise(CaptionNoise.Config.defaults(), s -> !PromptSplit.isHeldOut(s));
        List<SceneSpec> specs = new PromptSampler(PromptSplit.Part.TRAIN).sample(4000, 11);
        SplittableRandom a = new SplittableRandom(5);
        SplittableRandom b = new SplittableRandom(5);
        Map<CaptionNoise.Corruption, Integer> counts = new EnumMap<>(CaptionNoise.Corruption.class);
        int clean = 0;
        for (SceneSpec s : specs) {
            CaptionNoise.Noised n = noise.apply(s, a);
            assertEquals(n, noise.apply(s, b), "same seed, same noise");
            assertEquals(n.noisy(), PromptGrammar.parse(n.caption()), "noisy captions stay in the grammar");
            assertTrue(!PromptSplit.isHeldOut(n.noisy()), "noise never creates held-out combinations: " + n.caption());
            n.corruptions().forEach(c -> counts.merge(c, 1, Integer::sum));
            clean += n.corruptions().isEmpty() ? 1 : 0;
        }
        System.out.printf("caption noise on %d train prompts: %d clean, %s%n", specs.size(), clean, counts);
        assertTrue(clean > 1400 && clean < 2800, "clean " + clean);
        assertEquals(5, counts.size(), "every corruption occurs: " + counts);
    }

    @Test
    void probabilitiesAreValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CaptionNoise.Config(0, 1.5, 0, 0, 0));
        assertTrue(e.getMessage().contains("dropSize"), e.getMessage());
    }
}
