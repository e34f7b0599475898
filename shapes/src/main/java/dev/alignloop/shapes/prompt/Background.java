package dev.alignloop.shapes.prompt;

/**
 * The plain background colour of a scene. {@link #WHITE} is the default and is not mentioned in
 * canonical captions; {@link #BLACK} is written as the suffix {@code "on a black background"}.
 */
public enum Background {
    WHITE("white", 255),
    BLACK("black", 0);

    private final String word;
    private final int level;

    Background(String word, int level) {
        this.word = word;
        this.level = level;
    }

    /** The caption word, e.g. {@code "black"}. */
    public String word() {
        return word;
    }

    /** The grey level (all three channels) the renderer paints before jitter. */
    public int level() {
        return level;
    }
}
