package dev.alignloop.shapes.prompt;

import java.util.Objects;
import java.util.Optional;

/**
 * One group of identical objects in a scene: "a small red circle" (count 1) or "three green
 * triangles" (count 3).
 *
 * <p>Colour and size may be unstated ({@code null}): canonical prompts always state a colour, but
 * {@link CaptionNoise} drops attributes and the parser must read those captions back. An unstated
 * colour is drawn at random and not colour-checked; an unstated size is drawn medium and not
 * size-checked.
 *
 * @param color the stated colour, or {@code null} when the caption states none
 * @param shape the shape, never {@code null}
 * @param size  the stated size, or {@code null} when the caption states none
 * @param count how many identical objects, 1..{@link #MAX_COUNT}
 */
public record ObjectSpec(ObjectColor color, ObjectShape shape, ObjectSize size, int count) {

    /** The largest count the grammar has a word for ("three"). */
    public static final int MAX_COUNT = 3;

    public ObjectSpec {
        Objects.requireNonNull(shape, "shape");
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count must be in 1.." + MAX_COUNT + ", got " + count);
        }
    }

    /** One object with the given colour and shape, no stated size. */
    public static ObjectSpec of(ObjectColor color, ObjectShape shape) {
        return new ObjectSpec(color, shape, null, 1);
    }

    /** The stated colour, if any. */
    public Optional<ObjectColor> statedColor() {
        return Optional.ofNullable(color);
    }

    /** The stated size, if any. */
    public Optional<ObjectSize> statedSize() {
        return Optional.ofNullable(size);
    }

    /** A copy with another colour ({@code null} to unstate it). */
    public ObjectSpec withColor(ObjectColor newColor) {
        return new ObjectSpec(newColor, shape, size, count);
    }

    /** A copy with another shape. */
    public ObjectSpec withShape(ObjectShape newShape) {
        return new ObjectSpec(color, newShape, size, count);
    }

    /** A copy with another size ({@code null} to unstate it). */
    public ObjectSpec withSize(ObjectSize newSize) {
        return new ObjectSpec(color, shape, newSize, count);
    }

    /** A copy with another count. */
    public ObjectSpec withCount(int newCount) {
        return new ObjectSpec(color, shape, size, newCount);
    }
}
