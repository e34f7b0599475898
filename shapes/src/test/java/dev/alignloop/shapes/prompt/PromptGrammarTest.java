package dev.alignloop.shapes.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromptGrammarTest {

    @Test
    void formatsCanonicalCaptions() {
        assertEquals("a red circle above a blue square", SceneSpec.related(ObjectSpec.of(ObjectColor.RED,
                ObjectShape.CIRCLE), Relation.ABOVE, ObjectSpec.of(ObjectColor.BLUE, ObjectShape.SQUARE)).caption());
        assertEquals("two green triangles",
                SceneSpec.of(new ObjectSpec(ObjectColor.GREEN, ObjectShape.TRIANGLE, null, 2)).caption());
        assertEquals("a small yellow square",
                SceneSpec.of(new ObjectSpec(ObjectColor.YELLOW, ObjectShape.SQUARE, ObjectSize.SMALL, 1)).caption());
        assertEquals("three large purple circles on a black background",
                SceneSpec.of(new ObjectSpec(ObjectColor.PURPLE, ObjectShape.CIRCLE, ObjectSize.LARGE, 3))
                        .withBackground(Background.BLACK).caption());
    }

    @Test
    void everyEnumeratedSceneRoundTripsAndIsUnique() {
        List<SceneSpec> all = PromptGrammar.enumerate();
        // singles+counts: 2 backgrounds × 3 counts × 5 colours × 3 shapes × 3 sizes;
        // relations: 2 × 15 × 14 ordered distinct objects × 4 relations × 9 size pairs.
        assertEquals(2 * 3 * 5 * 3 * 3 + 2 * 15 * 14 * 4 * 9, all.size());
        Set<String> captions = new HashSet<>();
        Set<String> words = new HashSet<>();
        for (SceneSpec s : all) {
            String c = s.caption();
            assertEquals(s, PromptGrammar.parse(c), c);
            assertTrue(captions.add(c), "duplicate caption " + c);
            words.addAll(List.of(c.split(" ")));
        }
        assertTrue(PromptGrammar.vocabulary().containsAll(words));
        assertEquals(all, PromptGrammar.enumerate(), "enumeration is deterministic");
    }

    @Test
    void parsesNonCanonicalForms() {
        SceneSpec s = PromptGrammar.parse("  One Small RED circle to the right of a triangle on black.  ");
        assertEquals(Relation.RIGHT_OF, s.relation());
        assertEquals(new ObjectSpec(ObjectColor.RED, ObjectShape.CIRCLE, ObjectSize.SMALL, 1), s.objects().get(0));
        assertEquals(new ObjectSpec(null, ObjectShape.TRIANGLE, null, 1), s.objects().get(1));
        assertEquals(Background.BLACK, s.background());
        assertEquals("a small red circle right of a triangle on a black background", s.caption());
        assertEquals(Background.WHITE, PromptGrammar.parse("a square on a white background").background());
        assertEquals(Relation.LEFT_OF, PromptGrammar.parse("a square to the left of a circle").relation());
    }

    @Test
    void unknownWordNamesWordAndPromptAndListsVocabulary() {
        PromptParseException e = assertThrows(PromptParseException.class,
                () -> PromptGrammar.parse("a magenta circle"));
        assertEquals("magenta", e.word().orElseThrow());
        assertEquals(1, e.position());
        assertEquals("a magenta circle", e.prompt());
        assertTrue(e.getMessage().contains("'magenta'"), e.getMessage());
        assertTrue(e.getMessage().contains("\"a magenta circle\""), e.getMessage());
        assertTrue(e.getMessage().contains("purple") && e.getMessage().contains("triangles"), e.getMessage());
    }

    @Test
    void grammarErrorsSayWhatWasExpected() {
        assertMessage("a red", "ends where a shape");
        assertMessage("red circle", "expected a count word");
        assertMessage("a red circles", "'a' needs 'circle'");
        assertMessage("two red circle", "'two' needs 'circles'");
        assertMessage("two red circles above a blue square", "relations are only between single objects");
        assertMessage("a red circle above", "ends where a count word");
        assertMessage("a red circle the", "expected the end of the prompt");
        assertMessage("a circle to left of a square", "expected 'the'");
        assertMessage("a red circle on a purple background", "expected a background colour");
        assertMessage("   ", "empty prompt");
    }

    private static void assertMessage(String prompt, String fragment) {
        PromptParseException e = assertThrows(PromptParseException.class, () -> PromptGrammar.parse(prompt));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertTrue(e.getMessage().contains(prompt), e.getMessage());
    }

    @Test
    void vocabularyIsSortedAndCoversTheParser() {
        List<String> v = PromptGrammar.vocabulary();
        assertEquals(v.stream().sorted().toList(), v);
        assertTrue(v.containsAll(List.of("a", "one", "two", "three", "to", "the", "left", "right", "of", "above",
                "below", "on", "background", "white", "black", "small", "large", "circles")));
        assertEquals(28, v.size());
    }

    @Test
    void specValidationNamesTheProblem() {
        assertThrows(IllegalArgumentException.class, () -> new ObjectSpec(ObjectColor.RED, ObjectShape.CIRCLE, null, 4));
        assertThrows(IllegalArgumentException.class, () -> new SceneSpec(List.of(
                ObjectSpec.of(ObjectColor.RED, ObjectShape.CIRCLE), ObjectSpec.of(ObjectColor.RED, ObjectShape.SQUARE)),
                null, Background.WHITE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SceneSpec.related(
                new ObjectSpec(ObjectColor.RED, ObjectShape.CIRCLE, null, 2), Relation.ABOVE,
                ObjectSpec.of(ObjectColor.RED, ObjectShape.SQUARE)));
        assertTrue(e.getMessage().contains("counts 2 and 1"), e.getMessage());
        assertNull(SceneSpec.of(ObjectSpec.of(ObjectColor.RED, ObjectShape.CIRCLE)).relation());
    }
}
