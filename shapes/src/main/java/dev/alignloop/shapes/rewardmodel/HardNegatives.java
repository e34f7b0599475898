package dev.alignloop.shapes.rewardmodel;

import dev.alignloop.shapes.prompt.Background;
import dev.alignloop.shapes.prompt.ObjectColor;
import dev.alignloop.shapes.prompt.ObjectShape;
import dev.alignloop.shapes.prompt.ObjectSize;
import dev.alignloop.shapes.prompt.ObjectSpec;
import dev.alignloop.shapes.prompt.SceneSpec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Hard negative captions for a scene: the same scene with one thing changed, so a reward model
 * must look at exactly what the base model gets wrong. Every negative describes a different image
 * set than the scene (it is neither the scene nor its mirrored phrasing).
 */
public final class HardNegatives {

    /** The kinds of change. */
    public enum Kind {
        /** Relation scenes: the two objects' colours exchanged (attribute binding). */
        SWAP_COLORS,
        /** Relation scenes: the two objects' shapes exchanged (attribute binding). */
        SWAP_SHAPES,
        /** Relation scenes: the relation inverted (left of ↔ right of, above ↔ below). */
        FLIP_RELATION,
        /** One object's shape changed. */
        CHANGE_SHAPE,
        /** One object's colour changed. */
        CHANGE_COLOR,
        /** Single and counted scenes: the count changed. */
        CHANGE_COUNT,
        /** One stated size flipped (small ↔ large). */
        CHANGE_SIZE,
        /** The background flipped (white ↔ black). */
        CHANGE_BACKGROUND
    }

    private HardNegatives() {
    }

    /**
     * One negative of each applicable kind (random choices drawn from {@code rng}), in {@link Kind}
     * order; kinds that do not apply (or would not change the meaning) are absent.
     */
    public static Map<Kind, SceneSpec> all(SceneSpec scene, RandomGenerator rng) {
        Map<Kind, SceneSpec> out = new EnumMap<>(Kind.class);
        List<ObjectSpec> objs = scene.objects();
        if (scene.relation() != null) {
            ObjectSpec a = objs.get(0);
            ObjectSpec b = objs.get(1);
            put(out, scene, Kind.SWAP_COLORS, a.color() == b.color() ? null
                    : scene.withObject(0, a.withColor(b.color())).withObject(1, b.withColor(a.color())));
            put(out, scene, Kind.SWAP_SHAPES, a.shape() == b.shape() ? null
                    : scene.withObject(0, a.withShape(b.shape())).withObject(1, b.withShape(a.shape())));
            put(out, scene, Kind.FLIP_RELATION, scene.withRelation(scene.relation().inverse()));
        }
        int i = rng.nextInt(objs.size());
        ObjectSpec o = objs.get(i);
        put(out, scene, Kind.CHANGE_SHAPE, scene.withObject(i, o.withShape(other(ObjectShape.values(), o.shape(), rng))));
        if (o.color() != null) {
            put(out, scene, Kind.CHANGE_COLOR, scene.withObject(i, o.withColor(other(ObjectColor.values(), o.color(), rng))));
        }
        if (scene.relation() == null) {
            int offset = 1 + rng.nextInt(ObjectSpec.MAX_COUNT - 1); // never the same count
            ObjectSpec g = objs.get(0);
            put(out, scene, Kind.CHANGE_COUNT, scene.withObject(0, g.withCount((g.count() - 1 + offset) % ObjectSpec.MAX_COUNT + 1)));
        }
        List<Integer> sized = new ArrayList<>();
        for (int k = 0; k < objs.size(); k++) {
            if (objs.get(k).size() != null) {
                sized.add(k);
            }
        }
        if (!sized.isEmpty()) {
            int k = sized.get(rng.nextInt(sized.size()));
            ObjectSpec z = objs.get(k);
            put(out, scene, Kind.CHANGE_SIZE, scene.withObject(k,
                    z.withSize(z.size() == ObjectSize.SMALL ? ObjectSize.LARGE : ObjectSize.SMALL)));
        }
        put(out, scene, Kind.CHANGE_BACKGROUND,
                scene.withBackground(scene.background() == Background.WHITE ? Background.BLACK : Background.WHITE));
        return out;
    }

    /** Whether two scenes mean the same images (equal, or one the mirrored phrasing of the other). */
    public static boolean sameMeaning(SceneSpec a, SceneSpec b) {
        return a.equals(b) || a.equals(b.mirrored());
    }

    private static void put(Map<Kind, SceneSpec> out, SceneSpec scene, Kind kind, SceneSpec negative) {
        if (negative != null && !sameMeaning(scene, negative)) {
            out.put(kind, negative);
        }
    }

    private static <E> E other(E[] values, E current, RandomGenerator rng) {
        int k = rng.nextInt(values.length - 1);
        int idx = 0;
        for (E v : values) {
            if (v != current) {
                if (idx++ == k) {
                    return v;
                }
            }
        }
        throw new IllegalStateException("unreachable");
    }
}
