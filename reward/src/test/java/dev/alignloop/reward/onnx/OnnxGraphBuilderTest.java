package dev.alignloop.reward.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.alignloop.reward.onnx.OnnxGraphBuilder.ElemType;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Operators TinyClip does not use, checked against hand-computed values in ONNX Runtime. */
class OnnxGraphBuilderTest {

    @Test
    void linearReluSoftmaxReshapeTransposeConcat() throws OrtException {
        OnnxGraphBuilder g = new OnnxGraphBuilder("ops");
        String x = g.input("x", ElemType.FLOAT, "batch", 2);
        String w = g.initializer("w", new float[] {1, -1, 2, 0.5f, 0, 1}, 2, 3);   // [2, 3]
        String b = g.initializer("b", new float[] {0, 1, -10}, 3);
        String h = g.relu(g.add(g.matMul(x, w), b));                               // [B, 3]
        g.identity(g.softmax(h, 1), "probs");
        g.identity(g.concat(1, h, h), "twice");                                     // [B, 6]
        g.identity(g.transpose(g.reshape(h, -1, 3, 1), 0, 2, 1), "t");              // [B, 1, 3]
        g.identity(g.sqrt(g.reduceSum(g.mul(h, h), true, 1)), "norm");             // [B, 1]
        g.output("probs", ElemType.FLOAT, "batch", 3);
        g.output("twice", ElemType.FLOAT, "batch", 6);
        g.output("t", ElemType.FLOAT, "batch", 1, 3);
        g.output("norm", ElemType.FLOAT, "batch", 1);

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(g.toBytes(), new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {1, 2}), new long[] {1, 2});
             OrtSession.Result r = s.run(Map.of("x", in))) {
            // h = relu([1 + 1, -1 + 0 + 1, 2 + 2 - 10]) = [2, 0, 0]
            float[] probs = ((float[][]) r.get("probs").get().getValue())[0];
            double e2 = Math.exp(2);
            assertArrayEquals(new float[] {(float) (e2 / (e2 + 2)), (float) (1 / (e2 + 2)), (float) (1 / (e2 + 2))}, probs, 1e-6f);
            assertArrayEquals(new float[] {2, 0, 0, 2, 0, 0}, ((float[][]) r.get("twice").get().getValue())[0]);
            assertArrayEquals(new float[] {2, 0, 0}, ((float[][][]) r.get("t").get().getValue())[0][0]);
            assertEquals(2f, ((float[][]) r.get("norm").get().getValue())[0][0], 1e-6f);
        }
    }

    @Test
    void geluMatchesErfDefinition() throws OrtException {
        OnnxGraphBuilder g = new OnnxGraphBuilder("gelu");
        g.identity(g.gelu(g.input("x", ElemType.FLOAT, 5)), "y");
        g.output("y", ElemType.FLOAT, 5);
        float[] xs = {-3, -0.5f, 0, 0.7f, 4};
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(g.toBytes(), new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(xs), new long[] {5});
             OrtSession.Result r = s.run(Map.of("x", in))) {
            float[] y = (float[]) r.get(0).getValue();
            for (int i = 0; i < xs.length; i++) {
                assertEquals(0.5 * xs[i] * (1 + TinyClipReference.erf(xs[i] / Math.sqrt(2))), y[i], 1e-6, "x=" + xs[i]);
            }
        }
    }

    @Test
    void namingMistakesFailEarly() {
        OnnxGraphBuilder g = new OnnxGraphBuilder("bad");
        g.input("x", ElemType.FLOAT, 1);
        assertThrows(IllegalArgumentException.class, () -> g.input("x", ElemType.FLOAT, 1));
        assertThrows(IllegalArgumentException.class, () -> g.output("nope", ElemType.FLOAT, 1));
        assertThrows(IllegalArgumentException.class, () -> g.initializer("w", new float[3], 2, 2));
    }
}
