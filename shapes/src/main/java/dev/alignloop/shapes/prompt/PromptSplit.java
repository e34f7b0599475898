package dev.alignloop.shapes.prompt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The train / held-out split of the shapes world, decided <em>by construction</em> from the
 * attributes of a scene rather than by random assignment, so that held-out prompts contain
 * combinations that training never shows.
 *
 * <p>A scene is {@link Part#HELD_OUT held out} when either rule fires:
 * <ol>
 *   <li><b>Colour–shape pairs.</b> Any object is a {@link #HELD_OUT_PAIRS held-out pair}:
 *       red circle, purple square or yellow triangle (one pair per shape, three different
 *       colours; 3 of 15 pairs). Training sees red, circles, purple, squares, yellow and
 *       triangles, just never these bindings.</li>
 *   <li><b>Pair × relation.</b> A relation scene whose <em>leading</em> object (the one on the
 *       left for left of / right of, the one on top for above / below) is a held-out leader
 *       for that axis: on the left, a blue circle, a green square or a red triangle; on top, a
 *       green circle, a red square or a purple triangle. Training sees each of these objects,
 *       and sees them in relations, but never leading along that axis.</li>
 * </ol>
 * Rule 2 is stated on the leading object, not on the caption's subject, because "A left of B"
 * and "B right of A" describe the same images: both phrasings always fall in the same part.
 * Colour-less objects (only produced by {@link CaptionNoise}) match no held-out pair.
 *
 * <p>Of the 15,390 canonical scenes, 7,344 are train and 8,046 held out: 20% of single and
 * counted scenes, but about half of the relation scenes, since each of their two objects can
 * carry a held-out pair and the leader rule removes a further fifth. The eval set is a seeded
 * {@link PromptSampler} sample of the held-out part, not all of it.
 */
public final class PromptSplit {

    /** The two parts of the split. */
    public enum Part {
        /** Prompts used for pretraining and for the DPO loop. */
        TRAIN,
        /** Prompts used only for evaluation. */
        HELD_OUT
    }

    /** A colour bound to a shape. */
    public record ColorShape(ObjectColor color, ObjectShape shape) {
    }

    /** Colour–shape pairs that appear only in held-out prompts (rule 1). */
    public static final Set<ColorShape> HELD_OUT_PAIRS = Set.of(
            new ColorShape(ObjectColor.RED, ObjectShape.CIRCLE),
            new ColorShape(ObjectColor.PURPLE, ObjectShape.SQUARE),
            new ColorShape(ObjectColor.YELLOW, ObjectShape.TRIANGLE));

    /** Objects that lead (are on the left) in horizontal relations only in held-out prompts. */
    public static final Set<ColorShape> HELD_OUT_LEFT_LEADERS = Set.of(
            new ColorShape(ObjectColor.BLUE, ObjectShape.CIRCLE),
            new ColorShape(ObjectColor.GREEN, ObjectShape.SQUARE),
            new ColorShape(ObjectColor.RED, ObjectShape.TRIANGLE));

    /** Objects that lead (are on top) in vertical relations only in held-out prompts. */
    public static final Set<ColorShape> HELD_OUT_TOP_LEADERS = Set.of(
            new ColorShape(ObjectColor.GREEN, ObjectShape.CIRCLE),
            new ColorShape(ObjectColor.RED, ObjectShape.SQUARE),
            new ColorShape(ObjectColor.PURPLE, ObjectShape.TRIANGLE));

    private static volatile List<SceneSpec> train;
    private static volatile List<SceneSpec> heldOut;

    private PromptSplit() {
    }

    /** Which part a scene belongs to (works for any spec, canonical or not). */
    public static Part partOf(SceneSpec spec) {
        return isHeldOut(spec) ? Part.HELD_OUT : Part.TRAIN;
    }

    /** Whether a scene is held out (see the class documentation for the rule). */
    public static boolean isHeldOut(SceneSpec spec) {
        for (ObjectSpec o : spec.objects()) {
            if (o.color() != null && HELD_OUT_PAIRS.contains(new ColorShape(o.color(), o.shape()))) {
                return true;
            }
        }
        if (spec.relation() == null) {
            return false;
        }
        Relation r = spec.relation();
        // LEFT_OF / ABOVE: the subject leads; RIGHT_OF / BELOW: the object leads.
        ObjectSpec leader = (r == Relation.LEFT_OF || r == Relation.ABOVE)
                ? spec.objects().get(0) : spec.objects().get(1);
        if (leader.color() == null) {
            return false;
        }
        Set<ColorShape> leaders = r.horizontal() ? HELD_OUT_LEFT_LEADERS : HELD_OUT_TOP_LEADERS;
        return leaders.contains(new ColorShape(leader.color(), leader.shape()));
    }

    /** All canonical scenes of one part, in {@link PromptGrammar#enumerate()} order. */
    public static List<SceneSpec> scenes(Part part) {
        if (train == null) {
            synchronized (PromptSplit.class) {
                if (train == null) {
                    List<SceneSpec> all = PromptGrammar.enumerate();
                    heldOut = all.stream().filter(PromptSplit::isHeldOut).toList();
                    train = all.stream().filter(s -> !isHeldOut(s)).toList();
                }
            }
        }
        return part == Part.TRAIN ? train : heldOut;
    }

    /**
     * Writes {@code train.txt} and {@code heldout.txt} (every canonical caption of each part, one
     * per line) into {@code dir}, creating it if needed.
     *
     * @return the two files written, train first
     */
    public static List<Path> writePromptFiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path t = dir.resolve("train.txt");
        Path h = dir.resolve("heldout.txt");
        PromptFiles.write(t, scenes(Part.TRAIN));
        PromptFiles.write(h, scenes(Part.HELD_OUT));
        return List.of(t, h);
    }
}
