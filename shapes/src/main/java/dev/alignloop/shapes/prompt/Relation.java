package dev.alignloop.shapes.prompt;

/**
 * A spatial relation "subject REL object" between the two objects of a relation scene, in image
 * coordinates (x to the right, y downwards).
 *
 * <p>The geometric meaning lives here, next to the words, so the renderer (which must make it
 * true) and the judge (which must check it) share one definition: the object's centre must lie
 * on the stated side of the subject's centre, and that axis must dominate (|primary offset| &gt;
 * |cross offset|). Dominance makes the four relations mutually exclusive, so "left of" is never
 * also "above".
 */
public enum Relation {
    LEFT_OF("left of", 1, 0),
    RIGHT_OF("right of", -1, 0),
    ABOVE("above", 0, 1),
    BELOW("below", 0, -1);

    private final String phrase;
    private final int ux;
    private final int uy;

    Relation(String phrase, int ux, int uy) {
        this.phrase = phrase;
        this.ux = ux;
        this.uy = uy;
    }

    /** The canonical caption phrase, e.g. {@code "left of"}. */
    public String phrase() {
        return phrase;
    }

    /** The relation with subject and object exchanged: left of ↔ right of, above ↔ below. */
    public Relation inverse() {
        return switch (this) {
            case LEFT_OF -> RIGHT_OF;
            case RIGHT_OF -> LEFT_OF;
            case ABOVE -> BELOW;
            case BELOW -> ABOVE;
        };
    }

    /** Whether this relation is horizontal (left/right) rather than vertical (above/below). */
    public boolean horizontal() {
        return ux != 0;
    }

    /**
     * The offset of the object's centre from the subject's centre along this relation's
     * direction: positive when the relation holds along its axis. For {@code LEFT_OF} this is
     * {@code objectX - subjectX}.
     */
    public double primaryOffset(double subjectX, double subjectY, double objectX, double objectY) {
        return ux * (objectX - subjectX) + uy * (objectY - subjectY);
    }

    /** The absolute offset across this relation's axis (vertical offset for left/right). */
    public double crossOffset(double subjectX, double subjectY, double objectX, double objectY) {
        return ux != 0 ? Math.abs(objectY - subjectY) : Math.abs(objectX - subjectX);
    }

    /**
     * Whether "subject REL object" holds for these centres: the primary offset is at least
     * {@code minSeparation} and exceeds {@code dominance} times the cross offset. The judge uses
     * dominance 1; the renderer places objects with a stricter dominance so the judge has margin.
     */
    public boolean holds(double subjectX, double subjectY, double objectX, double objectY,
                         double minSeparation, double dominance) {
        double primary = primaryOffset(subjectX, subjectY, objectX, objectY);
        return primary >= minSeparation
                && primary > dominance * crossOffset(subjectX, subjectY, objectX, objectY);
    }
}
