package dev.alignloop.reward;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.alignloop.reward.RewardManifest.TokenPadding;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a session's declared inputs and outputs against its manifest, so that a mismatch fails
 * at load with both sides spelled out rather than on the first batch with an ORT error.
 *
 * @param idsType  element type of input_ids and attention_mask (INT64 or INT32)
 */
record GraphSignature(OnnxJavaType idsType) {

    static GraphSignature check(RewardManifest m, OrtSession session) {
        Map<String, NodeInfo> in;
        Map<String, NodeInfo> out;
        try {
            in = session.getInputInfo();
            out = session.getOutputInfo();
        } catch (OrtException e) {
            throw new RewardModelException(where(m) + "cannot read the graph signature: " + e.getMessage(), e);
        }
        Set<String> expected = new LinkedHashSet<>();
        expected.add(m.inputs().inputIds());
        if (m.inputs().attentionMask() != null) {
            expected.add(m.inputs().attentionMask());
        }
        expected.add(m.inputs().pixelValues());
        if (!in.keySet().equals(expected)) {
            throw new RewardModelException(where(m) + "the graph's inputs are " + describe(in) + " but the manifest expects "
                    + expected + ". Fix \"inputs\" in the manifest (\"attention_mask\": null if the graph has none) "
                    + "or re-export the model with those input names.");
        }
        TensorInfo ids = tensor(m, in, m.inputs().inputIds(), 2, OnnxJavaType.INT64, OnnxJavaType.INT32);
        if (m.inputs().attentionMask() != null) {
            TensorInfo mask = tensor(m, in, m.inputs().attentionMask(), 2, ids.type);
            checkSeq(m, mask);
        }
        checkSeq(m, ids);
        TensorInfo px = tensor(m, in, m.inputs().pixelValues(), 4, OnnxJavaType.FLOAT);
        int[] hw = m.image().fixedOutputSize();
        long[] want = {-1, 3, hw[0], hw[1]};
        long[] got = px.getShape();
        for (int i = 1; i < 4; i++) {
            if (got[i] >= 0 && got[i] != want[i]) {
                throw new RewardModelException(where(m) + "input " + m.inputs().pixelValues() + " has shape "
                        + Arrays.toString(got) + " but preprocessing produces [B, 3, " + hw[0] + ", " + hw[1]
                        + "]; fix crop_size in the manifest's image block");
            }
        }
        switch (m.output().mode()) {
            case SCORE -> {
                TensorInfo s = output(m, out, m.output().name());
                long[] sh = s.getShape();
                if (!(sh.length == 1 || (sh.length == 2 && (sh[1] == 1 || sh[1] < 0)))) {
                    throw new RewardModelException(where(m) + "output " + m.output().name() + " has shape " + Arrays.toString(sh)
                            + "; mode score needs [B] or [B, 1] (use mode embeddings or logits_per_image for other outputs)");
                }
            }
            case EMBEDDINGS -> {
                rank2(m, output(m, out, m.output().imageName()), m.output().imageName());
                rank2(m, output(m, out, m.output().textName()), m.output().textName());
            }
            case LOGITS_PER_IMAGE -> rank2(m, output(m, out, m.output().name()), m.output().name());
            default -> throw new AssertionError(m.output().mode());
        }
        return new GraphSignature(ids.type);
    }

    private static void checkSeq(RewardManifest m, TensorInfo t) {
        long seq = t.getShape()[1];
        if (seq >= 0 && (seq != m.tokenizer().maxLength() || m.tokenizer().padding() != TokenPadding.MAX_LENGTH)) {
            throw new RewardModelException(where(m) + "the graph fixes the sequence length to " + seq
                    + " but the manifest has tokenizer.max_length " + m.tokenizer().maxLength() + " and padding "
                    + m.tokenizer().padding().name().toLowerCase() + "; set max_length " + seq + " and padding max_length");
        }
    }

    private static TensorInfo tensor(RewardManifest m, Map<String, NodeInfo> in, String name, int rank, OnnxJavaType... types) {
        if (!(in.get(name).getInfo() instanceof TensorInfo t)) {
            throw new RewardModelException(where(m) + "input " + name + " is not a tensor: " + in.get(name).getInfo());
        }
        if (t.getShape().length != rank || !Arrays.asList(types).contains(t.type)) {
            throw new RewardModelException(where(m) + "input " + name + " is " + t.type + Arrays.toString(t.getShape())
                    + ", expected rank " + rank + " of " + Arrays.toString(types));
        }
        return t;
    }

    private static TensorInfo output(RewardManifest m, Map<String, NodeInfo> out, String name) {
        NodeInfo n = out.get(name);
        if (n == null) {
            throw new RewardModelException(where(m) + "the manifest's output " + name + " is not among the graph's outputs "
                    + describe(out) + "; fix \"output\" in the manifest");
        }
        if (!(n.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
            throw new RewardModelException(where(m) + "output " + name + " must be a float32 tensor, is " + n.getInfo());
        }
        return t;
    }

    private static void rank2(RewardManifest m, TensorInfo t, String name) {
        if (t.getShape().length != 2) {
            throw new RewardModelException(where(m) + "output " + name + " has shape " + Arrays.toString(t.getShape())
                    + "; mode " + m.output().mode().name().toLowerCase() + " needs rank 2");
        }
    }

    static String describe(Map<String, NodeInfo> infos) {
        return infos.values().stream().map(n -> n.getInfo() instanceof TensorInfo t
                ? n.getName() + " " + t.type + Arrays.toString(t.getShape()) : n.getName())
                .collect(Collectors.joining(", ", "[", "]"));
    }

    static String where(RewardManifest m) {
        return "reward model " + m.name() + " (" + m.model() + (m.file() != null ? ", manifest " + m.file() : "") + "): ";
    }
}
