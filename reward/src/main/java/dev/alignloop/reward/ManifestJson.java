package dev.alignloop.reward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alignloop.reward.RewardManifest.InputNames;
import dev.alignloop.reward.RewardManifest.OutputMode;
import dev.alignloop.reward.RewardManifest.OutputSpec;
import dev.alignloop.reward.RewardManifest.ScoreStats;
import dev.alignloop.reward.RewardManifest.TokenPadding;
import dev.alignloop.reward.RewardManifest.TokenizerSpec;
import dev.alignloop.reward.image.ClipImageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/** JSON (de)serialization of {@link RewardManifest}; every error names the manifest file and key. */
final class ManifestJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Set<String> ROOT_KEYS =
            Set.of("name", "description", "model", "sha256", "inputs", "output", "image", "tokenizer", "stats");

    private ManifestJson() {
    }

    static RewardManifest read(Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new RewardModelException("cannot read reward manifest " + file + ": " + e.getMessage(), e);
        }
        try {
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("the manifest must be a JSON object");
            }
            checkKeys(root, ROOT_KEYS, "");
            Path dir = file.toAbsolutePath().getParent();
            String name = text(root, "name", "name", null);
            String modelFile = text(root, "model", "model", null);
            if (modelFile == null) {
                throw new IllegalArgumentException("model is required: the .onnx file, relative to the manifest");
            }
            Path model = dir.resolve(modelFile).normalize();
            String sha = text(root, "sha256", "sha256", null);
            if (sha == null) {
                throw new IllegalArgumentException("sha256 is required: the hex SHA-256 of " + modelFile
                        + " (sha256sum " + modelFile + ")");
            }
            return new RewardManifest(file, name, model, sha.toLowerCase(Locale.ROOT),
                    inputs(root.get("inputs")), output(root.get("output")), image(root.get("image"), dir),
                    tokenizer(root.get("tokenizer"), dir), stats(root.get("stats")));
        } catch (IllegalArgumentException e) {
            throw new RewardModelException("reward manifest " + file + ": " + e.getMessage(), e);
        }
    }

    static void write(RewardManifest m, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("name", m.name());
        root.put("model", relative(dir, m.model()));
        root.put("sha256", m.sha256());
        ObjectNode in = root.putObject("inputs");
        in.put("input_ids", m.inputs().inputIds());
        in.put("attention_mask", m.inputs().attentionMask());
        in.put("pixel_values", m.inputs().pixelValues());
        ObjectNode out = root.putObject("output");
        out.put("mode", m.output().mode().name().toLowerCase(Locale.ROOT));
        if (m.output().mode() == OutputMode.EMBEDDINGS) {
            out.put("image", m.output().imageName());
            out.put("text", m.output().textName());
            out.put("logit_scale", m.output().logitScale());
        } else {
            out.put("name", m.output().name());
        }
        root.set("image", imageJson(m.image()));
        ObjectNode tok = root.putObject("tokenizer");
        if (m.tokenizer().path() != null) {
            tok.put("path", relative(dir, m.tokenizer().path()));
        }
        tok.put("max_length", m.tokenizer().maxLength());
        tok.put("padding", m.tokenizer().padding().name().toLowerCase(Locale.ROOT));
        if (m.stats() != null) {
            root.putObject("stats").put("mean", m.stats().mean()).put("std", m.stats().std());
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(file, MAPPER.writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new RewardModelException("cannot write reward manifest " + file + ": " + e.getMessage(), e);
        }
    }

    /** The HF preprocessor keys of a config, as {@code preprocessor_config.json} would hold them. */
    static ObjectNode imageJson(ClipImageConfig c) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("do_convert_rgb", c.doConvertRgb());
        n.put("do_resize", c.doResize());
        if (c.shortestEdge() > 0) {
            n.putObject("size").put("shortest_edge", c.shortestEdge());
        } else {
            n.putObject("size").put("height", c.resizeHeight()).put("width", c.resizeWidth());
        }
        n.put("resample", c.resample().pilCode());
        n.put("do_center_crop", c.doCenterCrop());
        n.putObject("crop_size").put("height", c.cropHeight()).put("width", c.cropWidth());
        n.put("do_rescale", c.doRescale());
        n.put("rescale_factor", c.rescaleFactor());
        n.put("do_normalize", c.doNormalize());
        var mean = n.putArray("image_mean");
        var std = n.putArray("image_std");
        for (int i = 0; i < 3; i++) {
            mean.add(c.imageMean()[i]);
            std.add(c.imageStd()[i]);
        }
        return n;
    }

    private static InputNames inputs(JsonNode n) {
        if (n == null) {
            return InputNames.DEFAULT;
        }
        requireObject(n, "inputs");
        checkKeys(n, Set.of("input_ids", "attention_mask", "pixel_values"), "inputs.");
        InputNames d = InputNames.DEFAULT;
        String mask = n.has("attention_mask") && n.get("attention_mask").isNull()
                ? null : text(n, "attention_mask", "inputs.attention_mask", d.attentionMask());
        return new InputNames(text(n, "input_ids", "inputs.input_ids", d.inputIds()), mask,
                text(n, "pixel_values", "inputs.pixel_values", d.pixelValues()));
    }

    private static OutputSpec output(JsonNode n) {
        if (n == null) {
            throw new IllegalArgumentException("output is required: \"score\", or {\"mode\": \"embeddings\", "
                    + "\"image\": ..., \"text\": ..., \"logit_scale\": ...}");
        }
        if (n.isTextual()) {
            OutputMode mode = mode(n.asText());
            if (mode == OutputMode.EMBEDDINGS) {
                throw new IllegalArgumentException("output \"embeddings\" needs an object with image, text and logit_scale");
            }
            return new OutputSpec(mode, n.asText(), null, null, 1.0);
        }
        requireObject(n, "output");
        checkKeys(n, Set.of("mode", "name", "image", "text", "logit_scale", "description"), "output.");
        OutputMode mode = mode(text(n, "mode", "output.mode", "score"));
        JsonNode scale = n.get("logit_scale");
        if (scale != null && !scale.isNumber()) {
            throw new IllegalArgumentException("output.logit_scale must be a number, got " + scale);
        }
        if (mode == OutputMode.EMBEDDINGS && scale == null) {
            throw new IllegalArgumentException("output.logit_scale is required in embeddings mode (PickScore: 100.0, "
                    + "i.e. exp of the checkpoint's logit_scale)");
        }
        String defaultName = mode == OutputMode.LOGITS_PER_IMAGE ? "logits_per_image" : "score";
        if (mode == OutputMode.EMBEDDINGS) {
            return OutputSpec.embeddings(text(n, "image", "output.image", "image_embeds"),
                    text(n, "text", "output.text", "text_embeds"), scale.asDouble());
        }
        return new OutputSpec(mode, text(n, "name", "output.name", defaultName), null, null, 1.0);
    }

    private static OutputMode mode(String s) {
        try {
            return OutputMode.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("output.mode must be score, embeddings or logits_per_image, got '" + s + "'");
        }
    }

    private static ClipImageConfig image(JsonNode n, Path dir) {
        if (n == null) {
            throw new IllegalArgumentException("image is required: HF CLIPImageProcessor keys, or the path of a preprocessor_config.json");
        }
        if (n.isTextual()) {
            Path p = dir.resolve(n.asText());
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("image: preprocessor config " + p + " does not exist");
            }
            return ClipImageConfig.fromPreprocessorConfig(p);
        }
        try {
            return ClipImageConfig.fromJson(n, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("image." + e.getMessage(), e);
        }
    }

    private static TokenizerSpec tokenizer(JsonNode n, Path dir) {
        if (n == null) {
            return new TokenizerSpec(null, 77, TokenPadding.MAX_LENGTH);
        }
        if (n.isTextual()) {
            return new TokenizerSpec(dir.resolve(n.asText()).normalize(), 77, TokenPadding.MAX_LENGTH);
        }
        requireObject(n, "tokenizer");
        checkKeys(n, Set.of("path", "max_length", "padding"), "tokenizer.");
        String path = text(n, "path", "tokenizer.path", null);
        JsonNode max = n.get("max_length");
        if (max != null && !max.isIntegralNumber()) {
            throw new IllegalArgumentException("tokenizer.max_length must be an integer, got " + max);
        }
        String padding = text(n, "padding", "tokenizer.padding", "max_length");
        TokenPadding pad;
        try {
            pad = TokenPadding.valueOf(padding.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tokenizer.padding must be max_length or longest, got '" + padding + "'");
        }
        return new TokenizerSpec(path == null ? null : dir.resolve(path).normalize(), max == null ? 77 : max.asInt(), pad);
    }

    private static ScoreStats stats(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        requireObject(n, "stats");
        checkKeys(n, Set.of("mean", "std", "count"), "stats.");
        if (!n.path("mean").isNumber() || !n.path("std").isNumber()) {
            throw new IllegalArgumentException("stats needs numeric mean and std, got " + n);
        }
        return new ScoreStats(n.get("mean").asDouble(), n.get("std").asDouble());
    }

    private static String text(JsonNode n, String field, String key, String dflt) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(key + " must be a string, got " + v);
        }
        return v.asText();
    }

    private static void requireObject(JsonNode n, String key) {
        if (!n.isObject()) {
            throw new IllegalArgumentException(key + " must be a JSON object, got " + n);
        }
    }

    private static void checkKeys(JsonNode n, Set<String> known, String prefix) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                throw new IllegalArgumentException("unknown key '" + prefix + k + "' (known: " + new java.util.TreeSet<>(known) + ")");
            }
        }
    }

    private static String relative(Path dir, Path p) {
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(dir.normalize()) ? dir.normalize().relativize(abs).toString() : abs.toString();
    }
}
