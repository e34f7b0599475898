package dev.alignloop.eval;

import dev.alignloop.reward.RewardModel;
import dev.alignloop.reward.RewardModelId;
import dev.alignloop.reward.onnx.TinyRewardFolder;
import dev.alignloop.shapes.prompt.ObjectColor;
import dev.alignloop.shapes.prompt.ObjectSize;
import dev.alignloop.shapes.prompt.ObjectSpec;
import dev.alignloop.shapes.prompt.PromptGrammar;
import dev.alignloop.shapes.prompt.SceneSpec;
import dev.alignloop.shapes.render.SceneRenderer;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Real image sources and reward models of the shapes world for the eval tests: samplers that
 * draw scenes with the shapes renderer (the right one, or a wrong one), and reward models that
 * measure something in the pixels.
 */
final class Worlds {
    static final int SIZE = 32;
    private static final SceneRenderer RENDERER = SceneRenderer.ofSize(SIZE);

    private Worlds() {
    }

    /** Draws, for each prompt and seed, the scene {@code edit} makes of the prompt's scene. */
    static final class RenderingSampler implements ImageSampler {
        private final String name;
        private final UnaryOperator<SceneSpec> edit;
        final AtomicInteger calls = new AtomicInteger();

        RenderingSampler(String name, UnaryOperator<SceneSpec> edit) {
            this.name = name;
            this.edit = edit;
        }

        @Override
        public List<BufferedImage> sample(List<String> prompts, long[] seeds) {
            calls.incrementAndGet();
            List<BufferedImage> out = new ArrayList<>();
            for (int i = 0; i < prompts.size(); i++) {
                out.add(RENDERER.render(edit.apply(PromptGrammar.parse(prompts.get(i))), seeds[i]).image());
            }
            return out;
        }

        @Override
        public String name() {
            return name;
        }
    }

    /** The ground truth: what a perfect model draws. */
    static RenderingSampler correct() {
        return new RenderingSampler("correct", s -> s);
    }

    /** Every object in the next colour (red becomes green...): wrong colours, right everything else. */
    static RenderingSampler recoloured() {
        return new RenderingSampler("recoloured", Worlds::recolour);
    }

    /** Wrong colours, and every object drawn large: more coloured pixels, less fidelity. */
    static RenderingSampler recolouredLarge() {
        return new RenderingSampler("recoloured-large", s -> enlarge(recolour(s)));
    }

    static SceneSpec recolour(SceneSpec s) {
        ObjectColor[] all = ObjectColor.values();
        return edit(s, o -> o.withColor(all[(o.color().ordinal() + 1) % all.length]));
    }

    static SceneSpec enlarge(SceneSpec s) {
        return edit(s, o -> o.withSize(ObjectSize.LARGE));
    }

    private static SceneSpec edit(SceneSpec s, UnaryOperator<ObjectSpec> f) {
        return new SceneSpec(s.objects().stream().map(f).toList(), s.relation(), s.background());
    }

    /** A reward model that scores pixels with {@code f(prompt, image)}. */
    interface PixelScore {
        double score(String prompt, BufferedImage image);
    }

    static RewardModel pixelReward(String name, PixelScore f) {
        return new RewardModel() {
            @Override
            public RewardModelId id() {
                return new RewardModelId(name, "0".repeat(64));
            }

            @Override
            public double[] score(List<String> prompts, List<BufferedImage> images) {
                double[] out = new double[images.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = f.score(prompts.get(i), images.get(i));
                }
                return out;
            }

            @Override
            public void close() {
            }
        };
    }

    /** Fraction of the coloured pixels whose nearest object colour is one the prompt names: prompt-aware. */
    static RewardModel colourMatch() {
        return pixelReward("colour-match", (prompt, image) -> {
            Set<ObjectColor> stated = EnumSet.noneOf(ObjectColor.class);
            PromptGrammar.parse(prompt).objects().forEach(o -> stated.add(o.color()));
            int ink = 0;
            int match = 0;
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    int rgb = image.getRGB(x, y);
                    if (saturated(rgb)) {
                        ink++;
                        match += stated.contains(nearest(rgb)) ? 1 : 0;
                    }
                }
            }
            return ink == 0 ? 0 : (double) match / ink;
        });
    }

    /** Fraction of coloured pixels, whatever the prompt: the kind of reward a policy can hack. */
    static RewardModel ink() {
        return pixelReward("ink", (prompt, image) -> {
            int ink = 0;
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    ink += saturated(image.getRGB(x, y)) ? 1 : 0;
                }
            }
            return (double) ink / (image.getWidth() * image.getHeight());
        });
    }

    private static boolean saturated(int rgb) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        return Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80;
    }

    private static ObjectColor nearest(int rgb) {
        ObjectColor best = null;
        long bestD = Long.MAX_VALUE;
        for (ObjectColor c : ObjectColor.values()) {
            long dr = ((rgb >> 16) & 0xFF) - c.red();
            long dg = ((rgb >> 8) & 0xFF) - c.green();
            long db = (rgb & 0xFF) - c.blue();
            long d = dr * dr + dg * dg + db * db;
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return best;
    }

    /** A tiny random CLIP-style ONNX reward model for the shapes vocabulary; returns its manifest. */
    static Path tinyOnnxReward(Path dir) {
        return TinyRewardFolder.write(dir, PromptGrammar.vocabulary(), SIZE, 7);
    }
}
