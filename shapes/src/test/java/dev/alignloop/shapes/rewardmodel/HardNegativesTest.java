package dev.alignloop.shapes.rewardmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.shapes.prompt.PromptGrammar;
import dev.alignloop.shapes.prompt.PromptSampler;
import dev.alignloop.shapes.prompt.PromptSplit;
import dev.alignloop.shapes.prompt.SceneSpec;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HardNegativesTest {

    @Test
    void negativesAlwaysMeanSomethingElse() {
        SplittableRandom rng = new SplittableRandom(1);
        for (SceneSpec s : new PromptSampler(PromptSplit.Part.TRAIN).sample(500, 2)) {
            Map<HardNegatives.Kind, SceneSpec> negs = HardNegatives.all(s, rng);
            assertTrue(negs.size() >= 3, s + " -> " + negs);
            negs.forEach((kind, n) -> {
                assertFalse(HardNegatives.sameMeaning(s, n), kind + ": " + s + " vs " + n);
                assertEquals(n, PromptGrammar.parse(n.caption()), "negative caption must parse back: " + n);
            });
        }
    }

    @Test
    void relationScenesGetBindingAndRelationNegatives() {
        SceneSpec s = PromptGrammar.parse("a red square left of a blue circle");
        Map<HardNegatives.Kind, SceneSpec> negs = HardNegatives.all(s, new SplittableRandom(0));
        assertEquals("a blue square left of a red circle", negs.get(HardNegatives.Kind.SWAP_COLORS).caption());
        assertEquals("a red circle left of a blue square", negs.get(HardNegatives.Kind.SWAP_SHAPES).caption());
        assertEquals("a red square right of a blue circle", negs.get(HardNegatives.Kind.FLIP_RELATION).caption());
        assertFalse(negs.containsKey(HardNegatives.Kind.CHANGE_COUNT));
        SceneSpec same = PromptGrammar.parse("a red square left of a red circle");
        assertFalse(HardNegatives.all(same, new SplittableRandom(0)).containsKey(HardNegatives.Kind.SWAP_COLORS));
        SceneSpec counted = PromptGrammar.parse("two green triangles");
        SceneSpec changed = HardNegatives.all(counted, new SplittableRandom(0)).get(HardNegatives.Kind.CHANGE_COUNT);
        assertTrue(changed.objects().get(0).count() != 2, changed.caption());
    }
}
