package dev.alignloop.shapes.prompt;

import java.util.List;
import java.util.Objects;

/**
 * What a caption asks for: one object group ("two red circles"), or two single objects in a
 * spatial relation ("a red circle above a blue square"), on a plain background.
 *
 * <p>Relations between counted groups ("two red circles above a square") are outside the
 * grammar: they are hard to draw unambiguously at 32×32 and hard to judge.
 *
 * @param objects    one group, or exactly two single objects (subject first) when {@code relation} is set
 * @param relation   the relation "objects[0] REL objects[1]", or {@code null} for one group
 * @param background the background colour
 */
public record SceneSpec(List<ObjectSpec> objects, Relation relation, Background background) {

    /** The three prompt forms of the grammar. */
    public enum Kind {
        /** One object: "a red circle". */
        SINGLE,
        /** Two or three identical objects: "two red circles". */
        COUNT,
        /** Two single objects in a relation: "a red circle above a blue square". */
        RELATION
    }

    public SceneSpec {
        objects = List.copyOf(Objects.requireNonNull(objects, "objects"));
        Objects.requireNonNull(background, "background");
        if (relation == null && objects.size() != 1) {
            throw new IllegalArgumentException(
                    "a scene without a relation has exactly one object group, got " + objects.size());
        }
        if (relation != null) {
            if (objects.size() != 2) {
                throw new IllegalArgumentException(
                        "a relation scene has exactly two objects, got " + objects.size());
            }
            if (objects.get(0).count() != 1 || objects.get(1).count() != 1) {
                throw new IllegalArgumentException(
                        "relations are only between single objects, got counts "
                                + objects.get(0).count() + " and " + objects.get(1).count());
            }
        }
    }

    /** One object group on a white background. */
    public static SceneSpec of(ObjectSpec group) {
        return new SceneSpec(List.of(group), null, Background.WHITE);
    }

    /** "subject REL object" on a white background. */
    public static SceneSpec related(ObjectSpec subject, Relation relation, ObjectSpec object) {
        return new SceneSpec(List.of(subject, object), Objects.requireNonNull(relation, "relation"),
                Background.WHITE);
    }

    /** Which prompt form this is. */
    public Kind kind() {
        if (relation != null) {
            return Kind.RELATION;
        }
        return objects.get(0).count() == 1 ? Kind.SINGLE : Kind.COUNT;
    }

    /** Total number of objects drawn (sum of counts). */
    public int objectCount() {
        return objects.stream().mapToInt(ObjectSpec::count).sum();
    }

    /** A copy on another background. */
    public SceneSpec withBackground(Background newBackground) {
        return new SceneSpec(objects, relation, newBackground);
    }

    /** A copy with object group {@code index} replaced. */
    public SceneSpec withObject(int index, ObjectSpec replacement) {
        ObjectSpec[] copy = objects.toArray(new ObjectSpec[0]);
        copy[index] = replacement;
        return new SceneSpec(List.of(copy), relation, background);
    }

    /** A copy with another relation (only for relation scenes). */
    public SceneSpec withRelation(Relation newRelation) {
        return new SceneSpec(objects, Objects.requireNonNull(newRelation, "relation"), background);
    }

    /**
     * The same scene phrased the other way round ("B right of A" for "A left of B"): it describes
     * the same images, which is why {@link PromptSplit} treats both phrasings alike.
     */
    public SceneSpec mirrored() {
        if (relation == null) {
            return this;
        }
        return new SceneSpec(List.of(objects.get(1), objects.get(0)), relation.inverse(), background);
    }

    /** The canonical caption, as written by {@link PromptGrammar#format(SceneSpec)}. */
    public String caption() {
        return PromptGrammar.format(this);
    }

    @Override
    public String toString() {
        return caption();
    }
}
