package dev.alignloop.shapes.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptSplitTest {
    @TempDir
    Path dir;

    private static PromptSplit.ColorShape pair(ObjectSpec o) {
        return new PromptSplit.ColorShape(o.color(), o.shape());
    }

    /** The leading object (left or top) and the axis of a relation scene. */
    private static String leader(SceneSpec s) {
        Relation r = s.relation();
        ObjectSpec lead = (r == Relation.LEFT_OF || r == Relation.ABOVE) ? s.objects().get(0) : s.objects().get(1);
        return (r.horizontal() ? "left:" : "top:") + lead.color() + " " + lead.shape();
    }

    @Test
    void noHeldOutCombinationOccursInTrain() {
        List<SceneSpec> train = PromptSplit.scenes(PromptSplit.Part.TRAIN);
        List<SceneSpec> heldOut = PromptSplit.scenes(PromptSplit.Part.HELD_OUT);
        assertEquals(PromptGrammar.enumerate().size(), train.size() + heldOut.size());

        Set<PromptSplit.ColorShape> trainPairs = new HashSet<>();
        Set<String> trainLeaders = new HashSet<>();
        for (SceneSpec s : train) {
            s.objects().forEach(o -> trainPairs.add(pair(o)));
            if (s.relation() != null) {
                trainLeaders.add(leader(s));
            }
        }
        for (PromptSplit.ColorShape p : PromptSplit.HELD_OUT_PAIRS) {
            assertFalse(trainPairs.contains(p), "held-out pair in train: " + p);
        }
        for (PromptSplit.ColorShape p : PromptSplit.HELD_OUT_LEFT_LEADERS) {
            assertFalse(trainLeaders.contains("left:" + p.color() + " " + p.shape()), "held-out leader in train: " + p);
            assertTrue(trainPairs.contains(p), "the leader itself is seen in training: " + p);
        }
        for (PromptSplit.ColorShape p : PromptSplit.HELD_OUT_TOP_LEADERS) {
            assertFalse(trainLeaders.contains("top:" + p.color() + " " + p.shape()), "held-out leader in train: " + p);
            assertTrue(trainPairs.contains(p));
        }
        // Every colour and every shape is still seen in training.
        for (ObjectColor c : ObjectColor.values()) {
            assertTrue(trainPairs.stream().anyMatch(p -> p.color() == c), c.word());
        }
        // Every held-out combination really occurs in the held-out part, for every prompt form.
        Set<PromptSplit.ColorShape> heldPairs = new HashSet<>();
        Set<SceneSpec.Kind> heldKinds = new HashSet<>();
        for (SceneSpec s : heldOut) {
            s.objects().forEach(o -> heldPairs.add(pair(o)));
            heldKinds.add(s.kind());
        }
        assertTrue(heldPairs.containsAll(PromptSplit.HELD_OUT_PAIRS));
        assertEquals(Set.of(SceneSpec.Kind.values()), heldKinds);
        System.out.printf("prompt split: %d train, %d held out (%.1f%%)%n", train.size(), heldOut.size(),
                100.0 * heldOut.size() / (train.size() + heldOut.size()));
    }

    @Test
    void bothPhrasingsOfASceneFallInTheSamePart() {
        for (SceneSpec s : PromptGrammar.enumerate()) {
            if (s.relation() != null) {
                assertEquals(PromptSplit.partOf(s), PromptSplit.partOf(s.mirrored()), s.caption());
            }
        }
        SceneSpec blueCircleLeft = PromptGrammar.parse("a blue circle left of a red square");
        assertTrue(PromptSplit.isHeldOut(blueCircleLeft));
        assertTrue(PromptSplit.isHeldOut(PromptGrammar.parse("a red square right of a blue circle")));
        assertFalse(PromptSplit.isHeldOut(PromptGrammar.parse("a blue circle right of a red square")));
        assertFalse(PromptSplit.isHeldOut(PromptGrammar.parse("a circle")), "colour-less objects match no pair");
    }

    @Test
    void promptFilesRoundTrip() throws IOException {
        List<Path> files = PromptSplit.writePromptFiles(dir.resolve("prompts"));
        assertEquals(PromptSplit.scenes(PromptSplit.Part.TRAIN), PromptFiles.read(files.get(0)));
        assertEquals(PromptSplit.scenes(PromptSplit.Part.HELD_OUT), PromptFiles.read(files.get(1)));
        assertEquals(PromptSplit.scenes(PromptSplit.Part.TRAIN).size(), Files.readAllLines(files.get(0)).size());

        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "# header\n\na red circle\na red cirle\n");
        PromptParseException e = org.junit.jupiter.api.Assertions.assertThrows(PromptParseException.class,
                () -> PromptFiles.read(bad));
        assertTrue(e.getMessage().startsWith(bad + ":4: unknown word 'cirle'"), e.getMessage());
    }

    @Test
    void samplerIsSeededAndStaysInItsPart() {
        PromptSampler sampler = new PromptSampler(PromptSplit.Part.HELD_OUT);
        List<SceneSpec> a = sampler.sample(2000, 42);
        assertEquals(a, new PromptSampler(PromptSplit.Part.HELD_OUT).sample(2000, 42));
        assertFalse(a.equals(sampler.sample(2000, 43)));
        assertTrue(a.stream().allMatch(PromptSplit::isHeldOut));
        long relations = a.stream().filter(s -> s.kind() == SceneSpec.Kind.RELATION).count();
        long black = a.stream().filter(s -> s.background() == Background.BLACK).count();
        assertTrue(relations > 900 && relations < 1100, "relations " + relations);
        assertTrue(black > 420 && black < 580, "black " + black);
        assertTrue(new PromptSampler(PromptSplit.Part.TRAIN).sample(500, 1).stream().noneMatch(PromptSplit::isHeldOut));
    }
}
