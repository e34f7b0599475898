package dev.alignloop.reward;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.alignloop.reward.RewardManifest.TokenPadding;
import dev.alignloop.reward.image.ClipImagePreprocessor;
import dev.alignloop.text.Encoding;
import dev.alignloop.text.TextTokenizer;
import dev.alignloop.text.Tokenizers;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reward model served by ONNX Runtime: one {@link OrtSession} per model, created from the
 * checksum-verified bytes of the manifest's ONNX file and reused for every batch (ORT sessions are
 * thread-safe). Prompts are tokenized, images preprocessed as the manifest says, and the graph's
 * output turned into one score per image.
 */
public final class OnnxRewardScorer implements RewardModel {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxRewardScorer.class);

    private final RewardManifest manifest;
    private final RewardModelId id;
    private final TextTokenizer tokenizer;
    private final ClipImagePreprocessor preprocessor;
    private final ScorerOptions options;
    private final OrtEnvironment env;
    private final OrtSession.SessionOptions sessionOptions;
    private final OrtSession session;
    private final GraphSignature signature;
    // The pixel tensor's memory, reused across batches (a 224 px model's batch of 64 images is
    // 38 MB: allocating it per batch would leave GC-managed direct memory piling up).
    private final AtomicReference<ByteBuffer> spare = new AtomicReference<>();

    private OnnxRewardScorer(RewardManifest manifest, TextTokenizer tokenizer, ScorerOptions options,
                             OrtEnvironment env, OrtSession.SessionOptions so, OrtSession session, GraphSignature sig) {
        this.manifest = manifest;
        this.id = new RewardModelId(manifest.name(), manifest.sha256());
        this.tokenizer = tokenizer;
        this.preprocessor = new ClipImagePreprocessor(manifest.image());
        this.options = options;
        this.env = env;
        this.sessionOptions = so;
        this.session = session;
        this.signature = sig;
    }

    /**
     * Loads the manifest at {@code manifestFile} and the tokenizer it names ({@code tokenizer.path}).
     *
     * @throws RewardModelException if the manifest, checksum, tokenizer or graph signature is wrong
     */
    public static OnnxRewardScorer open(Path manifestFile, ScorerOptions options) {
        RewardManifest m = RewardManifest.load(manifestFile);
        if (m.tokenizer().path() == null) {
            throw new RewardModelException("reward manifest " + manifestFile + ": tokenizer.path is required "
                    + "(a tokenizer.json, or a directory with vocab.json and merges.txt)");
        }
        TextTokenizer tok;
        try {
            tok = Tokenizers.load(m.tokenizer().path());
        } catch (RuntimeException e) {
            throw new RewardModelException("reward manifest " + manifestFile + ": cannot load tokenizer "
                    + m.tokenizer().path() + ": " + e.getMessage(), e);
        }
        return open(m, tok, options);
    }

    /**
     * Opens a model with a tokenizer supplied by the caller (the manifest's {@code tokenizer.path}
     * is ignored).
     *
     * @throws RewardModelException if the checksum or graph signature is wrong
     */
    public static OnnxRewardScorer open(RewardManifest manifest, TextTokenizer tokenizer, ScorerOptions options) {
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(options, "options");
        byte[] bytes = manifest.verifyChecksum();
        OrtEnvironment env = OrtEnvironment.getEnvironment(); // process-wide singleton
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        OrtSession session = null;
        try {
            so.setIntraOpNumThreads(options.intraOpThreads());
            so.setInterOpNumThreads(options.interOpThreads());
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(bytes, so);
            GraphSignature sig = GraphSignature.check(manifest, session);
            LOG.info("loaded reward model {} (sha256 {}) from {}: inputs {}", manifest.name(),
                    manifest.sha256().substring(0, 12), manifest.model(), GraphSignature.describe(session.getInputInfo()));
            return new OnnxRewardScorer(manifest, tokenizer, options, env, so, session, sig);
        } catch (OrtException | RuntimeException e) {
            // clean up what was built before rethrowing
            closeQuietly(session);
            so.close();
            if (e instanceof RewardModelException r) {
                throw r;
            }
            throw new RewardModelException(GraphSignature.where(manifest) + "ONNX Runtime cannot load the model: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public RewardModelId id() {
        return id;
    }

    /** The manifest this model was opened from. */
    public RewardManifest manifest() {
        return manifest;
    }

    @Override
    public double[] score(List<String> prompts, List<BufferedImage> images) {
        if (prompts.size() != images.size()) {
            throw new IllegalArgumentException("need one prompt per image, got " + prompts.size() + " prompts and "
                    + images.size() + " images");
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("nothing to score");
        }
        double[] out = new double[images.size()];
        for (int start = 0; start < images.size(); start += options.maxBatchSize()) {
            int end = Math.min(images.size(), start + options.maxBatchSize());
            double[] part = scoreBatch(prompts.subList(start, end), images.subList(start, end), start);
            System.arraycopy(part, 0, out, start, part.length);
        }
        return out;
    }

    private double[] scoreBatch(List<String> prompts, List<BufferedImage> images, int offset) {
        long t0 = System.nanoTime();
        int b = images.size();
        long[][] tokens = tokenize(prompts, offset);
        int seq = tokens[0].length / b;
        int[] hw = manifest.image().fixedOutputSize();
        int plane = 3 * hw[0] * hw[1];
        // The input tensor's own memory: ORT takes a direct native-order buffer without copying,
        // and each image is preprocessed straight into its slot (no per-image array, no copies).
        ByteBuffer pixelBytes = takePixelBuffer(Math.multiplyExact(Math.multiplyExact(b, plane), Float.BYTES));
        FloatBuffer pixels = pixelBytes.asFloatBuffer();
        // images are independent and ORT is idle meanwhile: preprocess them in parallel
        IntStream.range(0, b).parallel().forEach(i -> {
            try {
                BufferedImage img = images.get(i);
                int[] outHw = preprocessor.outputSize(img.getWidth(), img.getHeight());
                if (outHw[0] != hw[0] || outHw[1] != hw[1]) {
                    throw new IllegalArgumentException("preprocessing gives " + outHw[0] + "x" + outHw[1]
                            + ", the model takes " + hw[0] + "x" + hw[1]);
                }
                preprocessor.preprocessInto(img, pixels, i * plane);
            } catch (RuntimeException e) {
                throw new RewardScoreException(id, "cannot preprocess image " + (offset + i) + ": " + e.getMessage(), e,
                        new int[] {offset + i});
            }
        });
        long t1 = System.nanoTime();
        long[] seqShape = {b, seq};
        // declared first, so closed last: the buffer is free again once px is closed
        try (SpareReturn giveBack = () -> spare.set(pixelBytes);
             OnnxTensor ids = tokenTensor(tokens[0], seqShape);
             OnnxTensor mask = manifest.inputs().attentionMask() == null ? null : tokenTensor(tokens[1], seqShape);
             OnnxTensor px = OnnxTensor.createTensor(env, pixels, new long[] {b, 3, hw[0], hw[1]})) {
            Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
            inputs.put(manifest.inputs().inputIds(), ids);
            if (mask != null) {
                inputs.put(manifest.inputs().attentionMask(), mask);
            }
            inputs.put(manifest.inputs().pixelValues(), px);
            final double[] scores;
            try (OrtSession.Result result = session.run(inputs, ScoreReader.outputNames(manifest.output()))) {
                scores = ScoreReader.read(manifest.output(), result, b);
            } catch (IllegalStateException e) {
                throw new RewardScoreException(id, e.getMessage(), e);
            }
            int[] bad = IntStream.range(0, b).filter(i -> !Double.isFinite(scores[i])).toArray();
            if (bad.length > 0) {
                int i = bad[0];
                throw new RewardScoreException(id, bad.length + " of " + b + " scores are not finite; image "
                        + (offset + i) + " scored " + scores[i] + " (prompt \"" + prompts.get(i) + "\")", null,
                        IntStream.of(bad).map(k -> k + offset).toArray());
            }
            LOG.debug("{}: scored {} images in {} ms (preprocess {} ms)", manifest.name(), b,
                    (System.nanoTime() - t0) / 1_000_000, (t1 - t0) / 1_000_000);
            return scores;
        } catch (OrtException e) {
            throw new RewardScoreException(id, "ONNX Runtime failed on a batch of " + b + ": " + e.getMessage(), e);
        }
    }

    /**
     * A direct native-order buffer of exactly {@code bytes} (position 0, limit {@code bytes}): the
     * spare one if it is large enough, else a new one. Taking it clears the spare, so concurrent
     * calls never share a buffer; the batch puts it back once its tensor is closed.
     */
    private ByteBuffer takePixelBuffer(int bytes) {
        ByteBuffer b = spare.getAndSet(null);
        if (b == null || b.capacity() < bytes) {
            b = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        b.clear().limit(bytes);
        return b;
    }

    /** Returns the pixel buffer to {@link #spare}; a resource so it runs after the tensor's close. */
    private interface SpareReturn extends AutoCloseable {
        @Override
        void close();
    }

    /** {ids, mask} flattened {@code [B, L]}; each distinct prompt is encoded once (pairs share one). */
    private long[][] tokenize(List<String> prompts, int offset) {
        int max = manifest.tokenizer().maxLength();
        Map<String, Encoding> cache = new HashMap<>();
        Encoding[] enc = new Encoding[prompts.size()];
        int seq = 1;
        for (int i = 0; i < enc.length; i++) {
            String p = prompts.get(i);
            try {
                enc[i] = cache.computeIfAbsent(p, s -> tokenizer.encode(s, max));
            } catch (RuntimeException e) {
                throw new RewardScoreException(id, "cannot tokenize prompt \"" + p + "\": " + e.getMessage(), e,
                        IntStream.range(0, prompts.size()).filter(k -> prompts.get(k).equals(p)).map(k -> k + offset).toArray());
            }
            seq = Math.max(seq, manifest.tokenizer().padding() == TokenPadding.LONGEST
                    ? enc[i].tokenCount() : max);
        }
        long[] ids = new long[enc.length * seq];
        long[] mask = new long[enc.length * seq];
        for (int i = 0; i < enc.length; i++) {
            // right padding assumed: a shorter encoding is padded with id 0 / mask 0, a longer one trimmed
            int n = Math.min(seq, enc[i].length());
            System.arraycopy(enc[i].inputIds(), 0, ids, i * seq, n);
            System.arraycopy(enc[i].attentionMask(), 0, mask, i * seq, n);
        }
        return new long[][] {ids, mask};
    }

    private OnnxTensor tokenTensor(long[] values, long[] shape) throws OrtException {
        if (signature.idsType() == OnnxJavaType.INT32) {
            int[] ints = new int[values.length];
            for (int i = 0; i < ints.length; i++) {
                ints[i] = Math.toIntExact(values[i]);
            }
            return OnnxTensor.createTensor(env, IntBuffer.wrap(ints), shape);
        }
        return OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape);
    }

    @Override
    public void close() {
        closeQuietly(session);
        sessionOptions.close();
    }

    private static void closeQuietly(OrtSession s) {
        if (s != null) {
            try {
                s.close();
            } catch (OrtException e) {
                LOG.warn("closing ONNX session failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "OnnxRewardScorer[" + manifest.name() + ", " + manifest.model() + "]";
    }
}
