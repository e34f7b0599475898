package dev.alignloop.reward;

import dev.alignloop.reward.onnx.OnnxGraphBuilder;
import dev.alignloop.reward.onnx.OnnxGraphBuilder.ElemType;
import dev.alignloop.text.Encoding;
import dev.alignloop.text.TextTokenizer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/** Test doubles: a word-level tokenizer, images of odd sizes and types, crafted ONNX graphs. */
public final class Fixtures {

    /** Words of the fixture vocabulary (ids 4..); 0 pad, 1 BOS, 2 EOS, 3 unknown. */
    public static final List<String> WORDS = List.of("a", "red", "blue", "green", "circle", "square", "triangle",
            "above", "below", "left", "of", "right", "two", "three", "small", "big", "on", "the", "and");

    private Fixtures() {
    }

    /** Vocabulary size of {@link #tokenizer()}. */
    public static int vocabSize() {
        return WORDS.size() + 4;
    }

    /** A tiny word-level tokenizer: BOS, words (unknown -> 3), EOS, padded with 0 to maxLength. */
    public static TextTokenizer tokenizer() {
        Map<String, Integer> vocab = new HashMap<>();
        for (int i = 0; i < WORDS.size(); i++) {
            vocab.put(WORDS.get(i), i + 4);
        }
        return (text, maxLength) -> {
            String[] words = text.toLowerCase(Locale.ROOT).trim().split("\\s+");
            long[] ids = new long[maxLength];
            long[] mask = new long[maxLength];
            int n = Math.min(words.length, maxLength - 2);
            ids[0] = 1;
            for (int i = 0; i < n; i++) {
                ids[i + 1] = vocab.getOrDefault(words[i], 3);
            }
            ids[n + 1] = 2;
            for (int i = 0; i < n + 2; i++) {
                mask[i] = 1;
            }
            return new Encoding(ids, mask);
        };
    }

    /** A deterministic image: noise, a gradient and two shapes, of the given size and type. */
    public static BufferedImage image(int width, int height, int type, long seed) {
        BufferedImage img = new BufferedImage(width, height, type);
        Random rnd = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * 255 / Math.max(1, width - 1) + rnd.nextInt(40)) & 0xFF;
                int g = (y * 255 / Math.max(1, height - 1) + rnd.nextInt(40)) & 0xFF;
                int b = rnd.nextInt(256);
                img.setRGB(x, y, 0xFF000000 | r << 16 | g << 8 | b);
            }
        }
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillOval(width / 5, height / 5, Math.max(1, width / 3), Math.max(1, height / 3));
        g.setColor(Color.BLUE);
        g.fillRect(width / 2, height / 2, Math.max(1, width / 4), Math.max(1, height / 4));
        g.dispose();
        return img;
    }

    /**
     * A graph with the PickScore signature whose score is {@code mean(pixels) * scale + 0 * sum(ids)}:
     * NaN scale gives NaN scores. Without {@code withMask} the graph has no attention_mask input.
     */
    public static byte[] pixelMeanGraph(int imageSize, float scale, boolean withMask) {
        OnnxGraphBuilder g = new OnnxGraphBuilder("pixel_mean");
        String ids = g.input("input_ids", ElemType.INT64, "batch", "sequence");
        String tokens = ids;
        if (withMask) {
            tokens = g.mul(ids, g.input("attention_mask", ElemType.INT64, "batch", "sequence"));
        }
        String px = g.input("pixel_values", ElemType.FLOAT, "batch", 3, imageSize, imageSize);
        String t = g.reduceSum(g.cast(tokens, ElemType.FLOAT), false, 1);
        String s = g.add(g.mul(t, g.scalar(0f)), g.mul(g.reduceMean(px, false, 1, 2, 3), g.scalar(scale)));
        g.identity(s, "score");
        g.output("score", ElemType.FLOAT, "batch");
        return g.toBytes();
    }
}
