package dev.alignloop.shapes.rewardmodel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.reward.RewardModel;
import dev.alignloop.reward.RewardModelId;
import dev.alignloop.reward.image.ClipImagePreprocessor;
import dev.alignloop.shapes.model.ShapesTokenizer;
import dev.alignloop.text.Encoding;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A {@link TinyClipModel} in DJL behind the {@link RewardModel} interface, with the same
 * preprocessing and tokenization as the exported ONNX model's manifest (CLIP-normalized 32×32
 * pixels; {@code [BOS] words [EOS]} padded to 16, mask 1 on real tokens). For training-time
 * evaluation and for checking the export; serving uses the ONNX model.
 */
public final class TinyClipScorer implements RewardModel {
    private final TinyClipModel model;
    private final ShapesTokenizer tokenizer;
    private final ClipImagePreprocessor preprocessor = ShapesRewardSpec.preprocessor();
    private final NDManager manager;
    private final RewardModelId id;

    /** Scores with {@code model} (not owned), creating temporaries under {@code manager}. */
    public TinyClipScorer(TinyClipModel model, ShapesTokenizer tokenizer, NDManager manager, String name) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.manager = manager;
        this.id = new RewardModelId(name, "0".repeat(64));
    }

    @Override
    public RewardModelId id() {
        return id;
    }

    /** CLIP-normalized CHW pixels of an image, as the scorer feeds them. */
    public float[] pixels(BufferedImage image) {
        return preprocessor.preprocess(image).chw();
    }

    @Override
    public synchronized double[] score(List<String> prompts, List<BufferedImage> images) {
        if (prompts.size() != images.size() || prompts.isEmpty()) {
            throw new IllegalArgumentException("need one prompt per image (at least one), got " + prompts.size()
                    + " prompts and " + images.size() + " images");
        }
        int b = prompts.size();
        int n = model.spec().imageSize();
        float[] px = new float[b * 3 * n * n];
        for (int i = 0; i < b; i++) {
            System.arraycopy(pixels(images.get(i)), 0, px, i * 3 * n * n, 3 * n * n);
        }
        long[] ids = new long[b * ShapesTokenizer.MAX_LENGTH];
        long[] mask = new long[ids.length];
        for (int i = 0; i < b; i++) {
            Encoding e = tokenizer.encode(prompts.get(i));
            System.arraycopy(e.inputIds(), 0, ids, i * ShapesTokenizer.MAX_LENGTH, ShapesTokenizer.MAX_LENGTH);
            System.arraycopy(e.attentionMask(), 0, mask, i * ShapesTokenizer.MAX_LENGTH, ShapesTokenizer.MAX_LENGTH);
        }
        try (NDManager m = manager.newSubManager()) {
            Shape seq = new Shape(b, ShapesTokenizer.MAX_LENGTH);
            NDArray s = model.score(m.create(ids, seq), m.create(mask, seq), m.create(px, new Shape(b, 3, n, n)));
            float[] v = s.toFloatArray();
            double[] out = new double[b];
            for (int i = 0; i < b; i++) {
                out[i] = v[i];
            }
            return out;
        }
    }

    @Override
    public void close() {
    }
}
