package dev.alignloop.shapes.rewardmodel;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.alignloop.diffusion.nn.F;
import dev.alignloop.diffusion.nn.Parameter;
import dev.alignloop.diffusion.optim.GradientClipping;
import dev.alignloop.diffusion.optim.Optimizer;
import dev.alignloop.shapes.model.ShapesTokenizer;
import dev.alignloop.shapes.prompt.SceneSpec;
import dev.alignloop.text.Encoding;
import java.util.ArrayList;
import java.util.List;

/**
 * One symmetric InfoNCE step with hard negatives (CLIP's loss, with extra negative texts):
 *
 * <pre>
 * logits = exp(logit_scale) * norm(image_embeds) @ norm(text_embeds).T     # [B, T], T = B + negatives
 * loss_i = cross_entropy(logits, arange(B))                                # each image vs all texts
 * loss_t = cross_entropy(logits[:, :B].T, arange(B))                       # each true caption vs all images
 * loss = (loss_i + loss_t) / 2
 * </pre>
 *
 * Texts that mean the same images as image i's scene (another image with the same scene, or its
 * mirrored phrasing) are not negatives for image i: their logits are masked out. {@code
 * logit_scale} is clamped to ln(100) after each step, as CLIP does.
 */
final class ContrastiveStep {
    private static final float MASKED = -1e4f;
    private static final float MAX_LOGIT_SCALE = (float) Math.log(100);

    private final TinyClipModel model;
    private final ShapesTokenizer tokenizer;
    private final Optimizer optimizer;
    private final double gradClip;

    ContrastiveStep(TinyClipModel model, ShapesTokenizer tokenizer, Optimizer optimizer, double gradClip) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.optimizer = optimizer;
        this.gradClip = gradClip;
    }

    double run(RewardData.Batch batch, double lr, NDManager manager) {
        int b = batch.scenes().size();
        int t = batch.texts().size();
        int n = model.spec().imageSize();
        int len = ShapesTokenizer.MAX_LENGTH;
        long[] ids = new long[t * len];
        long[] mask = new long[t * len];
        for (int j = 0; j < t; j++) {
            Encoding e = tokenizer.encode(batch.texts().get(j));
            System.arraycopy(e.inputIds(), 0, ids, j * len, len);
            System.arraycopy(e.attentionMask(), 0, mask, j * len, len);
        }
        float[] logitMask = new float[b * t];
        float[] target = new float[b * t];
        float[] eye = new float[b * b];
        for (int i = 0; i < b; i++) {
            SceneSpec si = batch.scenes().get(i);
            for (int j = 0; j < t; j++) {
                if (j != i && HardNegatives.sameMeaning(si, batch.textSpecs().get(j))) {
                    logitMask[i * t + j] = MASKED;
                }
            }
            target[i * t + i] = 1;
            eye[i * b + i] = 1;
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray px = m.create(batch.pixels(), new Shape(b, 3, n, n));
            NDArray idArr = m.create(ids, new Shape(t, len));
            NDArray maskArr = m.create(mask, new Shape(t, len));
            NDArray logitMaskArr = m.create(logitMask, new Shape(b, t));
            NDArray targetArr = m.create(target, new Shape(b, t));
            NDArray eyeArr = m.create(eye, new Shape(b, b));
            NDArray loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = model.logits(model.imageEmbeds(px), model.textEmbeds(idArr, maskArr)).add(logitMaskArr);
                // scalars via F.mulScalar: a Java number in mul/div would be freed before backward reads it
                NDArray lossImages = F.mulScalar(logits.logSoftmax(1).mul(targetArr).sum(), -1f / b);
                NDArray lossTexts = F.mulScalar(logits.get(":, 0:" + b).transpose().logSoftmax(1).mul(eyeArr).sum(), -1f / b);
                loss = F.mulScalar(lossImages.add(lossTexts), 0.5f);
                collector.backward(loss);
            }
            double value = loss.getFloat();
            if (!Double.isFinite(value)) {
                throw new IllegalStateException("contrastive loss is " + value + "; training diverged (lower the learning rate)");
            }
            GradientClipping.clipGradNorm(model, gradClip);
            optimizer.step(model, lr);
            model.zeroGrad();
            Parameter scale = model.namedParameters().get("logit_scale");
            if (scale.array().getFloat() > MAX_LOGIT_SCALE) {
                try (NDArray v = m.create(MAX_LOGIT_SCALE)) {
                    scale.set(v);
                }
            }
            return value;
        }
    }
}
