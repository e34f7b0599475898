package dev.alignloop.shapes.prompt;

/** The object shapes of the shapes world, with their singular and plural caption words. */
public enum ObjectShape {
    CIRCLE("circle", "circles"),
    SQUARE("square", "squares"),
    TRIANGLE("triangle", "triangles");

    private final String singular;
    private final String plural;

    ObjectShape(String singular, String plural) {
        this.singular = singular;
        this.plural = plural;
    }

    /** The word for one object, e.g. {@code "circle"}. */
    public String singular() {
        return singular;
    }

    /** The word for several objects, e.g. {@code "circles"}. */
    public String plural() {
        return plural;
    }

    /** The word for {@code count} objects. */
    public String word(int count) {
        return count == 1 ? singular : plural;
    }
}
