package dev.alignloop.diffusion.pretrained;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Collectors;

/**
 * Reads and writes the {@code config.json} files of diffusers and transformers components.
 *
 * <p>Reading maps a file onto a config record (Jackson, {@code @JsonProperty} names equal to the
 * config keys): unknown keys are ignored, but a value of the wrong type (a string for a number,
 * {@code 1.5} for an integer) fails, and so does the record's own validation; every failure is a
 * {@link ConfigException} naming the file and the field.
 *
 * <p>Writing produces exactly what diffusers' {@code ConfigMixin.to_json_string} produces:
 * {@code json.dumps(config, indent=2, sort_keys=True) + "\n"} (see {@link #toJsonString}), with
 * {@code _class_name} and {@code _diffusers_version} added by {@link #writeDiffusers}. transformers
 * uses the same format without those two keys ({@link #write}). Files are written atomically.
 */
public final class ConfigJson {
    /** The diffusers version whose file format and defaults AlignLoop reproduces. */
    public static final String DIFFUSERS_VERSION = "0.25.0";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private ConfigJson() {
    }

    /** The shared mapper (unknown keys ignored, no silent coercions). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Reads a JSON object from {@code file}. */
    public static ObjectNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": file not found");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new ConfigException(file + ": expected a JSON object");
        }
        return (ObjectNode) node;
    }

    /** Reads {@code file} into a config record of {@code type}. */
    public static <T> T read(Path file, Class<T> type) {
        return convert(read(file), type, file.toString());
    }

    /**
     * Maps a JSON object onto {@code type}; {@code source} (usually the file) prefixes every
     * error message.
     */
    public static <T> T convert(JsonNode node, Class<T> type, String source) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonMappingException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof ConfigException ce) {
                    throw new ConfigException(source + ": " + ce.getMessage(), ce);
                }
            }
            String field = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            throw new ConfigException(source + ": field '" + field + "': " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": " + e.getOriginalMessage(), e);
        }
    }

    /** A config record (or any Jackson-serialisable value) as a JSON object. */
    public static ObjectNode toTree(Object config) {
        JsonNode node = MAPPER.valueToTree(config);
        if (!node.isObject()) {
            throw new IllegalArgumentException(config.getClass().getName() + " does not serialise to a JSON object");
        }
        return (ObjectNode) node;
    }

    /** {@code json.dumps(node, indent=2, sort_keys=True) + "\n"}, as Python would write it. */
    public static String toJsonString(JsonNode node) {
        return PythonJson.dumps(node) + "\n";
    }

    /** Writes a transformers-style config: {@code node} formatted by {@link #toJsonString}. */
    public static void write(Path file, JsonNode node) {
        writeAtomically(file, toJsonString(node));
    }

    /**
     * Writes a diffusers config: {@code config} (a record or a JSON object) plus
     * {@code "_class_name": className} and {@code "_diffusers_version": "0.25.0"}, as
     * {@code save_config} does.
     */
    public static void writeDiffusers(Path file, String className, Object config) {
        ObjectNode node = config instanceof ObjectNode o ? o.deepCopy() : toTree(config);
        node.put("_class_name", className);
        node.put("_diffusers_version", DIFFUSERS_VERSION);
        write(file, node);
    }

    /** Writes {@code text} as UTF-8 through a temporary file and a rename. */
    static void writeAtomically(Path file, String text) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot write: " + e.getMessage(), e);
        }
    }
}
