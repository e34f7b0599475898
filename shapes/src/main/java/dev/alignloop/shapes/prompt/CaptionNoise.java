package dev.alignloop.shapes.prompt;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Corrupts captions for pretraining, so that the base model learns imperfect attribute binding,
 * counting and positions — exactly the errors preference feedback should later fix (DESIGN §5).
 *
 * <p>Each corruption fires independently with its probability. Every call draws the same number
 * of random values for a given scene form whatever fires, so a seeded stream stays aligned and
 * the noisy dataset is reproducible.
 */
public final class CaptionNoise {

    /** The kinds of corruption. */
    public enum Corruption {
        /** An object's colour word is dropped ("a circle"). */
        DROP_COLOR,
        /** An object's size word is dropped. */
        DROP_SIZE,
        /** The two objects' colours are exchanged ("a blue circle left of a red square"). */
        SWAP_COLORS,
        /** The relation is replaced by its inverse (left of ↔ right of, above ↔ below). */
        SWAP_RELATION,
        /** The count of a single or counted group is changed to another of 1..3. */
        CHANGE_COUNT
    }

    /**
     * Corruption probabilities, each in [0,1].
     *
     * @param dropColor    per object, drop its colour
     * @param dropSize     per object with a stated size, drop it
     * @param swapColors   relation scenes with two different stated colours: swap them
     * @param swapRelation relation scenes: invert the relation
     * @param changeCount  single and counted scenes: change the count
     */
    public record Config(double dropColor, double dropSize, double swapColors, double swapRelation,
                         double changeCount) {
        public Config {
            check("dropColor", dropColor);
            check("dropSize", dropSize);
            check("swapColors", swapColors);
            check("swapRelation", swapRelation);
            check("changeCount", changeCount);
        }

        private static void check(String name, double p) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException(name + " must be a probability in [0,1], got " + p);
            }
        }

        /**
         * The pretraining default: a little under half of the captions carry some corruption
         * (44% on a sample of train prompts), so clean captions still dominate.
         */
        public static Config defaults() {
            return new Config(0.15, 0.2, 0.2, 0.15, 0.15);
        }

        /** No corruption at all. */
        public static Config none() {
            return new Config(0, 0, 0, 0, 0);
        }
    }

    /**
     * A corrupted caption.
     *
     * @param clean       the scene that was rendered
     * @param noisy       the scene the caption describes
     * @param corruptions what was applied (empty when the caption is clean)
     */
    public record Noised(SceneSpec clean, SceneSpec noisy, Set<Corruption> corruptions) {
        public Noised {
            Objects.requireNonNull(clean, "clean");
            Objects.requireNonNull(noisy, "noisy");
            corruptions = corruptions.isEmpty() ? Set.of()
                    : Collections.unmodifiableSet(EnumSet.copyOf(corruptions));
        }

        /** The caption of the noisy scene. */
        public String caption() {
            return PromptGrammar.format(noisy);
        }
    }

    private final Config config;
    private final Predicate<SceneSpec> allowed;

    /** Noise with the given probabilities and no restriction on the result. */
    public CaptionNoise(Config config) {
        this(config, s -> true);
    }

    /**
     * Noise whose results must satisfy {@code allowed}; a result that does not is replaced by
     * the clean scene. Pass {@code s -> !PromptSplit.isHeldOut(s)} when pretraining, because
     * swapping colours can bind a held-out colour–shape pair.
     */
    public CaptionNoise(Config config, Predicate<SceneSpec> allowed) {
        this.config = Objects.requireNonNull(config, "config");
        this.allowed = Objects.requireNonNull(allowed, "allowed");
    }

    /** Corrupts {@code clean} using {@code rng}. */
    public Noised apply(SceneSpec clean, RandomGenerator rng) {
        EnumSet<Corruption> applied = EnumSet.noneOf(Corruption.class);
        SceneSpec s = clean;
        if (s.relation() != null) {
            boolean swapColors = rng.nextDouble() < config.swapColors();
            boolean swapRelation = rng.nextDouble() < config.swapRelation();
            ObjectColor a = s.objects().get(0).color();
            ObjectColor b = s.objects().get(1).color();
            if (swapColors && a != null && b != null && a != b) {
                s = s.withObject(0, s.objects().get(0).withColor(b)).withObject(1, s.objects().get(1).withColor(a));
                applied.add(Corruption.SWAP_COLORS);
            }
            if (swapRelation) {
                s = s.withRelation(s.relation().inverse());
                applied.add(Corruption.SWAP_RELATION);
            }
        } else {
            boolean change = rng.nextDouble() < config.changeCount();
            int offset = 1 + rng.nextInt(ObjectSpec.MAX_COUNT - 1); // 1..MAX-1: never the same count
            if (change) {
                ObjectSpec o = s.objects().get(0);
                int newCount = (o.count() - 1 + offset) % ObjectSpec.MAX_COUNT + 1;
                s = s.withObject(0, o.withCount(newCount));
                applied.add(Corruption.CHANGE_COUNT);
            }
        }
        for (int i = 0; i < s.objects().size(); i++) {
            boolean dropColor = rng.nextDouble() < config.dropColor();
            boolean dropSize = rng.nextDouble() < config.dropSize();
            ObjectSpec o = s.objects().get(i);
            if (dropColor && o.color() != null) {
                o = o.withColor(null);
                applied.add(Corruption.DROP_COLOR);
            }
            if (dropSize && o.size() != null) {
                o = o.withSize(null);
                applied.add(Corruption.DROP_SIZE);
            }
            s = s.withObject(i, o);
        }
        if (!applied.isEmpty() && !allowed.test(s)) {
            return new Noised(clean, clean, EnumSet.noneOf(Corruption.class));
        }
        return new Noised(clean, s, applied);
    }

    /** The (possibly) corrupted caption of {@code clean}. */
    public String caption(SceneSpec clean, RandomGenerator rng) {
        return apply(clean, rng).caption();
    }
}
