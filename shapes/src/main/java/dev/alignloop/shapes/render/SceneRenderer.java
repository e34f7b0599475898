package dev.alignloop.shapes.render;

import dev.alignloop.shapes.prompt.ObjectColor;
import dev.alignloop.shapes.prompt.ObjectShape;
import dev.alignloop.shapes.prompt.ObjectSize;
import dev.alignloop.shapes.prompt.ObjectSpec;
import dev.alignloop.shapes.prompt.PromptGrammar;
import dev.alignloop.shapes.prompt.SceneSpec;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Draws the ground-truth image of a {@link SceneSpec} with Java2D (antialiasing on), with seeded
 * variation: position within the layout the relation implies, ±size jitter, small rotation of
 * squares and triangles, slight colour and background jitter.
 *
 * <p>Guarantees, for every canonical scene at any supported size: objects lie inside the image,
 * bounding boxes are at least {@link RenderConfig#minGap()} apart (so same-coloured objects
 * never touch), and a stated relation holds between the area centroids with the primary offset
 * at least twice the cross offset. The same (spec, seed, config) always gives the same pixels.
 *
 * <p>Instances are thread-safe (immutable); each call creates its own random stream.
 */
public final class SceneRenderer {

    static {
        // Rendering into a BufferedImage needs no display; make sure AWT never looks for one.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private final RenderConfig config;
    private final Layout layout;

    /** A renderer with the given configuration. */
    public SceneRenderer(RenderConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.layout = new Layout(config);
    }

    /** A renderer with {@link RenderConfig#defaults(int)} at image side {@code imageSize}. */
    public static SceneRenderer ofSize(int imageSize) {
        return new SceneRenderer(RenderConfig.defaults(imageSize));
    }

    /** This renderer's configuration. */
    public RenderConfig config() {
        return config;
    }

    /** Nominal object side as a fraction of the image side for a stated size, or medium for {@code null}. */
    public static double nominalFraction(ObjectSize size) {
        if (size == null) {
            return RenderConfig.MEDIUM_FRACTION;
        }
        return switch (size) {
            case SMALL -> RenderConfig.SMALL_FRACTION;
            case LARGE -> RenderConfig.LARGE_FRACTION;
        };
    }

    /** Parses {@code prompt} with {@link PromptGrammar#parse(String)} and renders it. */
    public RenderedScene render(String prompt, long seed) {
        return render(PromptGrammar.parse(prompt), seed);
    }

    /**
     * Renders a scene.
     *
     * @throws IllegalStateException if no valid layout exists even without jitter; this cannot
     *                               happen for canonical scenes at 32 px and above (the geometry
     *                               scales with N; every canonical scene is tested at 32 px, a
     *                               sample at 64 px), but can for very small images
     */
    public RenderedScene render(SceneSpec spec, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = config.imageSize();
        int bg = jitterBackground(spec.background().level(), rng);

        // Attributes first, in a fixed order, so they do not depend on how many layout tries it takes.
        List<Instance> instances = new ArrayList<>();
        for (int g = 0; g < spec.objects().size(); g++) {
            ObjectSpec o = spec.objects().get(g);
            for (int k = 0; k < o.count(); k++) {
                int pick = rng.nextInt(ObjectColor.values().length); // drawn even when stated: stream alignment
                ObjectColor c = o.color() != null ? o.color() : ObjectColor.values()[pick];
                int rgb = jitterColor(c, rng);
                instances.add(new Instance(g, o, c, rgb, 2 * rng.nextDouble() - 1, 2 * rng.nextDouble() - 1));
            }
        }

        // Layout: full jitter first; if the objects do not fit, retry with less size and rotation jitter.
        for (double relax : new double[] {1.0, 0.5, 0.0}) {
            List<Footprint> fps = new ArrayList<>();
            double[] sides = new double[instances.size()];
            double[] rotations = new double[instances.size()];
            for (int i = 0; i < instances.size(); i++) {
                Instance in = instances.get(i);
                sides[i] = n * nominalFraction(in.spec.size()) * (1 + relax * config.sizeJitter() * in.sizeU);
                rotations[i] = in.spec.shape() == ObjectShape.CIRCLE ? 0
                        : relax * config.maxRotationDegrees() * in.rotationU;
                fps.add(Footprint.of(in.spec.shape(), sides[i], rotations[i]));
            }
            double[][] origins = layout.place(fps, spec.relation(), rng);
            if (origins != null) {
                return draw(spec, seed, bg, instances, fps, sides, rotations, origins);
            }
        }
        throw new IllegalStateException("no layout for \"" + spec.caption() + "\" at " + n + "×" + n
                + " with seed " + seed);
    }

    /** One object to draw: its group, the colour chosen, and its jitter draws in [-1, 1]. */
    private record Instance(int group, ObjectSpec spec, ObjectColor color, int rgb, double sizeU, double rotationU) {
    }

    private RenderedScene draw(SceneSpec spec, long seed, int bg, List<Instance> instances, List<Footprint> fps,
                               double[] sides, double[] rotations, double[][] origins) {
        int n = config.imageSize();
        BufferedImage img = new BufferedImage(n, n, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(new Color(bg));
            g.fillRect(0, 0, n, n);
            List<ObjectBox> boxes = new ArrayList<>();
            for (int i = 0; i < fps.size(); i++) {
                Footprint f = fps.get(i);
                Instance in = instances.get(i);
                double x = origins[i][0];
                double y = origins[i][1];
                g.setColor(new Color(in.rgb));
                g.fill(AffineTransform.getTranslateInstance(x, y).createTransformedShape(f.outline));
                boxes.add(new ObjectBox(in.group, in.color, in.spec.shape(), sides[i], rotations[i], in.rgb,
                        x + f.minX, y + f.minY, x + f.maxX, y + f.maxY, x + f.centroidX, y + f.centroidY));
            }
            return new RenderedScene(spec, seed, img, spec.background(), boxes);
        } finally {
            g.dispose();
        }
    }

    private int jitterColor(ObjectColor c, SplittableRandom rng) {
        int j = config.colorJitter();
        int r = clamp(c.red() + rng.nextInt(2 * j + 1) - j);
        int gr = clamp(c.green() + rng.nextInt(2 * j + 1) - j);
        int b = clamp(c.blue() + rng.nextInt(2 * j + 1) - j);
        return (r << 16) | (gr << 8) | b;
    }

    /** Moves each channel of a white or black background towards grey by up to the jitter. */
    private int jitterBackground(int level, SplittableRandom rng) {
        int j = config.backgroundJitter();
        int sign = level > 127 ? -1 : 1;
        int rgb = 0;
        for (int ch = 0; ch < 3; ch++) {
            rgb = (rgb << 8) | clamp(level + sign * rng.nextInt(j + 1));
        }
        return rgb;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
