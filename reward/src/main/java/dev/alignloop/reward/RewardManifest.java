package dev.alignloop.reward;

import dev.alignloop.reward.image.ClipImageConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The JSON file next to a reward model's {@code .onnx} (conventionally {@code reward.json}): what
 * the graph takes and returns, how to preprocess images and tokenize prompts, and the SHA-256 the
 * model file must have. Example (PickScore as exported by {@code tools/}):
 *
 * <pre>{@code
 * {
 *   "name": "pickscore-v1",
 *   "model": "model.onnx",
 *   "sha256": "9f2c...",
 *   "inputs": {"input_ids": "input_ids", "attention_mask": "attention_mask", "pixel_values": "pixel_values"},
 *   "output": {"mode": "embeddings", "text": "text_embeds", "image": "image_embeds", "logit_scale": 100.0},
 *   "image": "preprocessor_config.json",
 *   "tokenizer": {"path": "tokenizer", "max_length": 77, "padding": "max_length"},
 *   "stats": {"mean": 21.0, "std": 1.5}
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@code inputs}: graph input names (defaults shown); {@code "attention_mask": null} for
 *       graphs without a mask.</li>
 *   <li>{@code output}: {@code "score"} (or {@code {"mode": "score", "name": ...}}) for a
 *       per-image score {@code [B]} or logits {@code [B, 1]}; {@code "embeddings"} for separate
 *       image/text embeddings combined here as {@code logit_scale * cos(image, text)}
 *       ({@code logit_scale} is the already-exponentiated value, 100 for PickScore);
 *       {@code "logits_per_image"} for a {@code [B, B]} CLIP logit matrix (its diagonal is used).</li>
 *   <li>{@code image}: the HF {@code CLIPImageProcessor} keys inline, or the path of a
 *       {@code preprocessor_config.json}; must give a fixed output size (center crop on).</li>
 *   <li>{@code tokenizer}: directory or file for {@code Tokenizers.load}, {@code max_length}
 *       (default 77), {@code padding} {@code "max_length"} (default; what CLIP exports expect) or
 *       {@code "longest"} (trim each batch to its longest prompt; only for graphs with a dynamic
 *       sequence axis).</li>
 *   <li>{@code stats}: optional score mean/std over typical data, used by {@link RewardEnsemble}
 *       to standardize this model's scores.</li>
 * </ul>
 *
 * Relative paths resolve against the manifest's directory.
 *
 * @param file      the manifest file (null when built in code)
 * @param name      model name recorded on labels
 * @param model     the ONNX file
 * @param sha256    expected lowercase hex SHA-256 of {@code model}
 * @param inputs    graph input names
 * @param output    how to read the score
 * @param image     image preprocessing
 * @param tokenizer tokenizer location and sequence settings
 * @param stats     score statistics, or null
 */
public record RewardManifest(Path file, String name, Path model, String sha256, InputNames inputs,
                             OutputSpec output, ClipImageConfig image, TokenizerSpec tokenizer, ScoreStats stats) {

    /** Conventional manifest file name. */
    public static final String DEFAULT_FILE_NAME = "reward.json";

    /** Validates cross-field constraints. */
    public RewardManifest {
        requireText("name", name);
        Objects.requireNonNull(model, "model");
        requireText("sha256", sha256);
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits, got '" + sha256 + "'");
        }
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(tokenizer, "tokenizer");
        if (image.fixedOutputSize() == null) {
            throw new IllegalArgumentException("image: do_center_crop is false and size.shortest_edge keeps the aspect "
                    + "ratio, so images would differ in size; batching needs do_center_crop true or size {height, width}");
        }
    }

    /**
     * Reads and validates a manifest. Does not touch the model file (see {@link #verifyChecksum}).
     *
     * @throws RewardModelException naming the manifest and the offending key
     */
    public static RewardManifest load(Path manifestFile) {
        return ManifestJson.read(manifestFile);
    }

    /** Writes this manifest as JSON (paths relative to the manifest's directory where possible). */
    public void write(Path manifestFile) {
        ManifestJson.write(this, manifestFile);
    }

    /** Graph input names; {@code attentionMask} is null for graphs without one. */
    public record InputNames(String inputIds, String attentionMask, String pixelValues) {
        /** The PickScore / HF CLIP names. */
        public static final InputNames DEFAULT = new InputNames("input_ids", "attention_mask", "pixel_values");

        /** Requires input_ids and pixel_values. */
        public InputNames {
            requireText("inputs.input_ids", inputIds);
            requireText("inputs.pixel_values", pixelValues);
        }
    }

    /** How the graph's outputs become one score per image. */
    public enum OutputMode {
        /** One output, {@code [B]} or {@code [B, 1]}. */
        SCORE,
        /** Two outputs {@code [B, P]}: score = {@code logit_scale * cos(image, text)}. */
        EMBEDDINGS,
        /** One output {@code [B, B]} (image x text logits); the diagonal pairs image i with prompt i. */
        LOGITS_PER_IMAGE
    }

    /**
     * The output part of the manifest.
     *
     * @param mode       how to read the outputs
     * @param name       output name (SCORE, LOGITS_PER_IMAGE)
     * @param imageName  image embedding output (EMBEDDINGS)
     * @param textName   text embedding output (EMBEDDINGS)
     * @param logitScale multiplier of the cosine (EMBEDDINGS), already exponentiated
     */
    public record OutputSpec(OutputMode mode, String name, String imageName, String textName, double logitScale) {
        /** Checks the fields each mode needs. */
        public OutputSpec {
            Objects.requireNonNull(mode, "output.mode");
            if (mode == OutputMode.EMBEDDINGS) {
                requireText("output.image", imageName);
                requireText("output.text", textName);
                if (!(logitScale > 0) || !Double.isFinite(logitScale)) {
                    throw new IllegalArgumentException("output.logit_scale must be finite and > 0, got " + logitScale);
                }
            } else {
                requireText("output.name", name);
            }
        }

        /** A per-image score output. */
        public static OutputSpec score(String name) {
            return new OutputSpec(OutputMode.SCORE, name, null, null, 1.0);
        }

        /** Separate embeddings combined as {@code logitScale * cos}. */
        public static OutputSpec embeddings(String imageName, String textName, double logitScale) {
            return new OutputSpec(OutputMode.EMBEDDINGS, null, imageName, textName, logitScale);
        }
    }

    /** Tokenizer padding strategy. */
    public enum TokenPadding {
        /** Every prompt padded to {@code max_length}. */
        MAX_LENGTH,
        /** Each batch trimmed to its longest prompt. */
        LONGEST
    }

    /**
     * The tokenizer part of the manifest.
     *
     * @param path      tokenizer directory or file, or null when the caller supplies the tokenizer
     * @param maxLength sequence length (CLIP: 77)
     * @param padding   padding strategy
     */
    public record TokenizerSpec(Path path, int maxLength, TokenPadding padding) {
        /** Validates the length. */
        public TokenizerSpec {
            if (maxLength < 2) {
                throw new IllegalArgumentException("tokenizer.max_length must be >= 2 (room for BOS and EOS), got " + maxLength);
            }
            Objects.requireNonNull(padding, "tokenizer.padding");
        }
    }

    /**
     * Score statistics for standardization.
     *
     * @param mean typical mean score
     * @param std  typical standard deviation, > 0
     */
    public record ScoreStats(double mean, double std) {
        /** Validates the values. */
        public ScoreStats {
            if (!Double.isFinite(mean) || !(std > 0) || !Double.isFinite(std)) {
                throw new IllegalArgumentException("stats: mean must be finite and std finite and > 0, got mean="
                        + mean + " std=" + std);
            }
        }
    }

    /**
     * Reads the model file, checks its SHA-256 against the manifest and returns its bytes (so the
     * session is created from exactly the bytes that were checked).
     *
     * @throws RewardModelException naming the file, both hashes and how to fix it
     */
    public byte[] verifyChecksum() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(model);
        } catch (IOException e) {
            throw new RewardModelException("reward model " + name + ": cannot read model file " + model
                    + (file != null ? " (named by " + file + ")" : "") + ": " + e, e);
        }
        String actual = sha256(bytes);
        if (!actual.equals(sha256)) {
            throw new RewardModelException("reward model " + name + ": checksum mismatch for " + model
                    + ": manifest " + (file != null ? file : "") + " expects sha256 " + sha256 + ", file has " + actual
                    + ". The file is corrupt or was re-exported: restore it (re-run the export script in tools/, or "
                    + "`alignloop pretrain reward` for the shapes model), or, if the new file is intended, set \"sha256\" to "
                    + actual + " (sha256sum " + model.getFileName() + ").");
        }
        return bytes;
    }

    /** Lowercase hex SHA-256 of a byte array. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /** Lowercase hex SHA-256 of a file, streamed. */
    public static String sha256(Path file) {
        MessageDigest md = digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + file, e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JVM without SHA-256", e);
        }
    }

    static void requireText(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " must be a non-empty string");
        }
    }
}
