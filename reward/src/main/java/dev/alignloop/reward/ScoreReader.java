package dev.alignloop.reward;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import dev.alignloop.reward.RewardManifest.OutputSpec;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Set;

/** Turns a run's outputs into one score per image, per {@link RewardManifest.OutputMode}. */
final class ScoreReader {

    private ScoreReader() {
    }

    static Set<String> outputNames(OutputSpec spec) {
        return switch (spec.mode()) {
            case SCORE, LOGITS_PER_IMAGE -> Set.of(spec.name());
            case EMBEDDINGS -> Set.of(spec.imageName(), spec.textName());
        };
    }

    static double[] read(OutputSpec spec, OrtSession.Result result, int batch) {
        return switch (spec.mode()) {
            case SCORE -> {
                Out s = out(result, spec.name());
                if (s.data.length != batch) {
                    throw new IllegalStateException("output " + spec.name() + " has shape " + Arrays.toString(s.shape)
                            + ", expected [" + batch + "] or [" + batch + ", 1]");
                }
                double[] r = new double[batch];
                for (int i = 0; i < batch; i++) {
                    r[i] = s.data[i];
                }
                yield r;
            }
            case LOGITS_PER_IMAGE -> {
                Out s = out(result, spec.name());
                checkShape(s, spec.name(), batch, batch);
                double[] r = new double[batch];
                for (int i = 0; i < batch; i++) {
                    r[i] = s.data[i * batch + i]; // image i against prompt i
                }
                yield r;
            }
            case EMBEDDINGS -> {
                Out img = out(result, spec.imageName());
                Out txt = out(result, spec.textName());
                int dim = (int) img.shape[1];
                checkShape(img, spec.imageName(), batch, dim);
                checkShape(txt, spec.textName(), batch, dim);
                double[] r = new double[batch];
                for (int i = 0; i < batch; i++) {
                    // logit_scale * cos(image, text), as CLIPModel computes logits_per_image
                    double dot = 0;
                    double ni = 0;
                    double nt = 0;
                    for (int k = 0; k < dim; k++) {
                        double a = img.data[i * dim + k];
                        double t = txt.data[i * dim + k];
                        dot += a * t;
                        ni += a * a;
                        nt += t * t;
                    }
                    r[i] = spec.logitScale() * dot / Math.sqrt(ni * nt);
                }
                yield r;
            }
        };
    }

    private record Out(long[] shape, float[] data) {
    }

    private static Out out(OrtSession.Result result, String name) {
        OnnxValue v = result.get(name).orElseThrow(() -> new IllegalStateException("the run returned no output " + name));
        if (!(v instanceof OnnxTensor t)) {
            throw new IllegalStateException("output " + name + " is not a tensor");
        }
        FloatBuffer fb = t.getFloatBuffer();
        float[] data = new float[fb.remaining()];
        fb.get(data);
        return new Out(t.getInfo().getShape(), data);
    }

    private static void checkShape(Out o, String name, int rows, int cols) {
        if (o.shape.length != 2 || o.shape[0] != rows || o.shape[1] != cols) {
            throw new IllegalStateException("output " + name + " has shape " + Arrays.toString(o.shape)
                    + ", expected [" + rows + ", " + cols + "]");
        }
    }
}
