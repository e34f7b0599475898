package dev.alignloop.shapes.prompt;

/**
 * The object colours of the shapes world, each with the canonical sRGB value the renderer draws
 * (before jitter) and the judge segments against. This enum is the single source of truth for
 * both, so the two cannot drift apart.
 *
 * <p>Orange is deliberately absent: at 32×32 with antialiasing and a generated (blurry) image it
 * sits too close to both red and yellow for a reliable programmatic judge.
 */
public enum ObjectColor {
    RED("red", 220, 30, 30),
    GREEN("green", 30, 160, 50),
    BLUE("blue", 30, 70, 230),
    YELLOW("yellow", 240, 200, 20),
    PURPLE("purple", 150, 50, 190);

    private final String word;
    private final int r;
    private final int g;
    private final int b;

    ObjectColor(String word, int r, int g, int b) {
        this.word = word;
        this.r = r;
        this.g = g;
        this.b = b;
    }

    /** The caption word, e.g. {@code "red"}. */
    public String word() {
        return word;
    }

    /** Canonical red channel, 0..255. */
    public int red() {
        return r;
    }

    /** Canonical green channel, 0..255. */
    public int green() {
        return g;
    }

    /** Canonical blue channel, 0..255. */
    public int blue() {
        return b;
    }

    /** Canonical colour packed as {@code 0xRRGGBB}. */
    public int rgb() {
        return (r << 16) | (g << 8) | b;
    }
}
