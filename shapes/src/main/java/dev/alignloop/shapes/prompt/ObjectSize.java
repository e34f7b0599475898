package dev.alignloop.shapes.prompt;

/**
 * A size stated in a caption. A caption that states no size (a {@code null} size in {@link
 * ObjectSpec}) is drawn at a medium size and is not size-checked by the judge; there is no
 * "medium" word because a three-way size distinction is not reliably visible at 32×32.
 */
public enum ObjectSize {
    SMALL("small"),
    LARGE("large");

    private final String word;

    ObjectSize(String word) {
        this.word = word;
    }

    /** The caption word, e.g. {@code "small"}. */
    public String word() {
        return word;
    }
}
