package dev.alignloop.shapes.prompt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The caption grammar of the shapes world: writes canonical captions, parses captions back into
 * {@link SceneSpec}s, enumerates every canonical scene, and lists the vocabulary.
 *
 * <pre>
 * caption    := group [relation group] [background]
 * group      := ("a" | "one") [size] [colour] shape        -- one object
 *             | ("two" | "three") [size] [colour] shapes   -- counted group
 * relation   := ["to" "the"] ("left" | "right") "of" | "above" | "below"
 * background := "on" ["a"] ("white" | "black") ["background"]
 * </pre>
 *
 * Canonical captions always state a colour, write relations as {@code "left of"}, omit a white
 * background and write a black one as {@code "on a black background"}: "a small red circle left
 * of a blue square on a black background". The parser also accepts the non-canonical forms above
 * (and colour- or size-less groups, which {@link CaptionNoise} produces). Matching is
 * case-insensitive; a trailing full stop is ignored.
 */
public final class PromptGrammar {

    /** Sizes in enumeration order; {@code null} is "unstated". */
    private static final List<ObjectSize> SIZES = Collections.unmodifiableList(
            Arrays.asList(null, ObjectSize.SMALL, ObjectSize.LARGE));

    private static final List<String> COUNT_WORDS = List.of("a", "two", "three");
    private static final List<String> VOCABULARY = buildVocabulary();
    private static final Set<String> VOCABULARY_SET = Set.copyOf(VOCABULARY);

    private PromptGrammar() {
    }

    /** The canonical caption of a scene. */
    public static String format(SceneSpec spec) {
        StringBuilder sb = new StringBuilder();
        appendGroup(sb, spec.objects().get(0));
        if (spec.relation() != null) {
            sb.append(' ').append(spec.relation().phrase()).append(' ');
            appendGroup(sb, spec.objects().get(1));
        }
        if (spec.background() != Background.WHITE) {
            sb.append(" on a ").append(spec.background().word()).append(" background");
        }
        return sb.toString();
    }

    private static void appendGroup(StringBuilder sb, ObjectSpec o) {
        sb.append(COUNT_WORDS.get(o.count() - 1));
        if (o.size() != null) {
            sb.append(' ').append(o.size().word());
        }
        if (o.color() != null) {
            sb.append(' ').append(o.color().word());
        }
        sb.append(' ').append(o.shape().word(o.count()));
    }

    /**
     * Parses a caption.
     *
     * @throws PromptParseException naming the prompt and word when a word is unknown (listing the
     *                              vocabulary) or the words are not in grammatical order
     */
    public static SceneSpec parse(String prompt) {
        Objects.requireNonNull(prompt, "prompt");
        String text = prompt.strip().toLowerCase(Locale.ROOT);
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1).strip();
        }
        String[] words = text.isEmpty() ? new String[0] : text.split("\\s+");
        if (words.length == 0) {
            throw new PromptParseException("empty prompt \"" + prompt + "\"", prompt, null, 0);
        }
        for (int i = 0; i < words.length; i++) {
            if (!VOCABULARY_SET.contains(words[i])) {
                throw new PromptParseException("unknown word '" + words[i] + "' (word " + (i + 1)
                        + ") in prompt \"" + prompt + "\"; the vocabulary is " + VOCABULARY,
                        prompt, words[i], i);
            }
        }
        return new Parser(prompt, words).scene();
    }

    /**
     * Every canonical scene, in a fixed order: singles, then counted groups, then relation scenes
     * (whose two objects always differ in colour or shape), each on both backgrounds.
     */
    public static List<SceneSpec> enumerate() {
        List<SceneSpec> out = new ArrayList<>();
        for (Background bg : Background.values()) {
            for (int count = 1; count <= ObjectSpec.MAX_COUNT; count++) {
                for (ObjectColor c : ObjectColor.values()) {
                    for (ObjectShape s : ObjectShape.values()) {
                        for (ObjectSize z : SIZES) {
                            out.add(new SceneSpec(List.of(new ObjectSpec(c, s, z, count)), null, bg));
                        }
                    }
                }
            }
        }
        for (Background bg : Background.values()) {
            for (ObjectColor c1 : ObjectColor.values()) {
                for (ObjectShape s1 : ObjectShape.values()) {
                    for (ObjectColor c2 : ObjectColor.values()) {
                        for (ObjectShape s2 : ObjectShape.values()) {
                            if (c1 == c2 && s1 == s2) {
                                continue; // "a red circle left of a red circle" has no identifiable subject
                            }
                            for (Relation r : Relation.values()) {
                                for (ObjectSize z1 : SIZES) {
                                    for (ObjectSize z2 : SIZES) {
                                        out.add(new SceneSpec(List.of(new ObjectSpec(c1, s1, z1, 1),
                                                new ObjectSpec(c2, s2, z2, 1)), r, bg));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * Every word the parser accepts, sorted: the word-level tokenizer is built from this list, so
     * any parseable caption tokenizes without an unknown token.
     */
    public static List<String> vocabulary() {
        return VOCABULARY;
    }

    private static List<String> buildVocabulary() {
        Set<String> words = new TreeSet<>(List.of("a", "one", "two", "three", "to", "the", "left",
                "right", "of", "above", "below", "on", "background"));
        for (ObjectColor c : ObjectColor.values()) {
            words.add(c.word());
        }
        for (ObjectShape s : ObjectShape.values()) {
            words.add(s.singular());
            words.add(s.plural());
        }
        for (ObjectSize z : ObjectSize.values()) {
            words.add(z.word());
        }
        for (Background b : Background.values()) {
            words.add(b.word());
        }
        return List.copyOf(words);
    }

    /** Recursive-descent parser over already vocabulary-checked words. */
    private static final class Parser {
        private final String prompt;
        private final String[] words;
        private int pos;

        Parser(String prompt, String[] words) {
            this.prompt = prompt;
            this.words = words;
        }

        SceneSpec scene() {
            ObjectSpec first = group();
            Relation relation = relationOrNull();
            List<ObjectSpec> objects = new ArrayList<>(List.of(first));
            if (relation != null) {
                int secondStart = pos;
                ObjectSpec second = group();
                if (first.count() != 1 || second.count() != 1) {
                    throw errorAt(first.count() != 1 ? 0 : secondStart,
                            "relations are only between single objects (\"a ...\"), not counted groups");
                }
                objects.add(second);
            }
            Background background = backgroundOrWhite();
            if (pos < words.length) {
                throw errorAt(pos, "expected the end of the prompt, a relation or a background");
            }
            return new SceneSpec(objects, relation, background);
        }

        private ObjectSpec group() {
            String w = next("a count word (a, one, two, three)");
            int count = switch (w) {
                case "a", "one" -> 1;
                case "two" -> 2;
                case "three" -> 3;
                default -> throw errorAt(pos - 1, "expected a count word (a, one, two, three)");
            };
            ObjectSize size = null;
            for (ObjectSize z : ObjectSize.values()) {
                if (z.word().equals(peek())) {
                    size = z;
                    pos++;
                    break;
                }
            }
            ObjectColor color = null;
            for (ObjectColor c : ObjectColor.values()) {
                if (c.word().equals(peek())) {
                    color = c;
                    pos++;
                    break;
                }
            }
            String shapeWord = next("a shape (circle, square, triangle)");
            for (ObjectShape s : ObjectShape.values()) {
                if (s.word(count).equals(shapeWord)) {
                    return new ObjectSpec(color, s, size, count);
                }
                if (s.word(count == 1 ? 2 : 1).equals(shapeWord)) {
                    throw errorAt(pos - 1, "'" + w + "' needs '" + s.word(count) + "'");
                }
            }
            throw errorAt(pos - 1, "expected a shape (circle, square, triangle)");
        }

        private Relation relationOrNull() {
            String w = peek();
            if (w == null) {
                return null;
            }
            switch (w) {
                case "above":
                    pos++;
                    return Relation.ABOVE;
                case "below":
                    pos++;
                    return Relation.BELOW;
                case "to":
                    pos++;
                    expect("the");
                    break;
                case "left", "right":
                    break;
                default:
                    return null;
            }
            String side = next("'left' or 'right'");
            Relation r = switch (side) {
                case "left" -> Relation.LEFT_OF;
                case "right" -> Relation.RIGHT_OF;
                default -> throw errorAt(pos - 1, "expected 'left' or 'right'");
            };
            expect("of");
            return r;
        }

        private Background backgroundOrWhite() {
            if (!"on".equals(peek())) {
                return Background.WHITE;
            }
            pos++;
            if ("a".equals(peek())) {
                pos++;
            }
            String w = next("a background colour (white, black)");
            for (Background b : Background.values()) {
                if (b.word().equals(w)) {
                    if ("background".equals(peek())) {
                        pos++;
                    }
                    return b;
                }
            }
            throw errorAt(pos - 1, "expected a background colour (white, black)");
        }

        private String peek() {
            return pos < words.length ? words[pos] : null;
        }

        private String next(String expected) {
            if (pos >= words.length) {
                throw new PromptParseException("prompt \"" + prompt + "\" ends where " + expected
                        + " was expected", prompt, null, pos);
            }
            return words[pos++];
        }

        private void expect(String word) {
            String w = next("'" + word + "'");
            if (!w.equals(word)) {
                throw errorAt(pos - 1, "expected '" + word + "'");
            }
        }

        private PromptParseException errorAt(int i, String what) {
            return new PromptParseException(what + ": found '" + words[i] + "' (word " + (i + 1)
                    + ") in prompt \"" + prompt + "\"", prompt, words[i], i);
        }
    }
}
