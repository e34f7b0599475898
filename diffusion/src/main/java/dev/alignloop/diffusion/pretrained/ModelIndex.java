package dev.alignloop.diffusion.pretrained;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A pipeline's {@code model_index.json}: the pipeline class, the diffusers version that wrote it,
 * its components ({@code "vae": ["diffusers", "AutoencoderKL"]}) and any other pipeline
 * attributes ({@code "requires_safety_checker": false}, {@code "force_zeros_for_empty_prompt": true}),
 * which are kept as JSON and written back unchanged.
 *
 * <p>An entry is a component when its value is a two-element array of strings or nulls; everything
 * else except {@code _class_name} and {@code _diffusers_version} is an attribute. Like diffusers'
 * {@code save_config}, {@link #write(Path)} sorts all keys and stamps {@code _diffusers_version}
 * with {@link ConfigJson#DIFFUSERS_VERSION}.
 *
 * @param className {@code _class_name}, e.g. {@code StableDiffusionPipeline}
 * @param diffusersVersion {@code _diffusers_version} as read (null when built in code)
 * @param components component name to entry, sorted by name
 * @param attributes other keys to their JSON values, sorted by name
 */
public record ModelIndex(String className, String diffusersVersion, Map<String, ComponentSpec> components,
        Map<String, JsonNode> attributes) {
    /** The file name inside a pipeline folder. */
    public static final String FILE_NAME = "model_index.json";

    /** Standard component names. */
    public static final String UNET = "unet", VAE = "vae", TEXT_ENCODER = "text_encoder",
            TEXT_ENCODER_2 = "text_encoder_2", TOKENIZER = "tokenizer", TOKENIZER_2 = "tokenizer_2",
            SCHEDULER = "scheduler";

    /** Validates names and takes sorted, unmodifiable copies of the maps. */
    public ModelIndex {
        if (className == null || className.isBlank()) {
            throw new ConfigException("_class_name: missing (e.g. \"StableDiffusionPipeline\")");
        }
        components = Collections.unmodifiableMap(new TreeMap<>(components));
        attributes = Collections.unmodifiableMap(new TreeMap<>(attributes));
        for (String k : components.keySet()) {
            if (k.startsWith("_") || attributes.containsKey(k)) {
                throw new ConfigException("component name '" + k + "' is reserved or also an attribute");
            }
        }
        for (String k : attributes.keySet()) {
            if (k.equals("_class_name") || k.equals("_diffusers_version")) {
                throw new ConfigException("attribute '" + k + "' is reserved");
            }
        }
    }

    /** A new index with the given components and no attributes. */
    public static ModelIndex of(String className, Map<String, ComponentSpec> components) {
        return new ModelIndex(className, null, components, Map.of());
    }

    /** Reads {@code file} (a {@code model_index.json}). */
    public static ModelIndex read(Path file) {
        return fromJson(ConfigJson.read(file), file.toString());
    }

    /** Parses a model index object; {@code source} names it in error messages. */
    public static ModelIndex fromJson(ObjectNode node, String source) {
        JsonNode cls = node.get("_class_name");
        if (cls == null || !cls.isTextual()) {
            throw new ConfigException(source + ": '_class_name' must be a string naming the pipeline class");
        }
        JsonNode ver = node.get("_diffusers_version");
        Map<String, ComponentSpec> components = new LinkedHashMap<>();
        Map<String, JsonNode> attributes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (key.equals("_class_name") || key.equals("_diffusers_version")) {
                continue;
            }
            JsonNode v = e.getValue();
            if (isComponentEntry(v) && !key.startsWith("_")) {
                try {
                    components.put(key, new ComponentSpec(text(v.get(0)), text(v.get(1))));
                } catch (ConfigException ex) {
                    throw new ConfigException(source + ": '" + key + "': " + ex.getMessage(), ex);
                }
            } else {
                attributes.put(key, v.deepCopy());
            }
        }
        return new ModelIndex(cls.textValue(), ver != null && ver.isTextual() ? ver.textValue() : null, components, attributes);
    }

    private static boolean isComponentEntry(JsonNode v) {
        return v.isArray() && v.size() == 2
                && (v.get(0).isTextual() || v.get(0).isNull()) && (v.get(1).isTextual() || v.get(1).isNull());
    }

    private static String text(JsonNode n) {
        return n.isNull() ? null : n.textValue();
    }

    /** The component entry, if listed (it may still be {@link ComponentSpec#ABSENT}). */
    public Optional<ComponentSpec> component(String name) {
        return Optional.ofNullable(components.get(name));
    }

    /** Whether {@code name} is listed and not {@code [null, null]}. */
    public boolean has(String name) {
        ComponentSpec s = components.get(name);
        return s != null && s.isPresent();
    }

    /** A copy with {@code name} set to {@code spec} (added or replaced). */
    public ModelIndex withComponent(String name, ComponentSpec spec) {
        Map<String, ComponentSpec> c = new LinkedHashMap<>(components);
        c.put(name, spec);
        return new ModelIndex(className, diffusersVersion, c, attributes);
    }

    /** A copy with attribute {@code name} set to {@code value}. */
    public ModelIndex withAttribute(String name, JsonNode value) {
        Map<String, JsonNode> a = new LinkedHashMap<>(attributes);
        a.put(name, value);
        return new ModelIndex(className, diffusersVersion, components, a);
    }

    /** The JSON object diffusers would write (keys sorted on output by {@link ConfigJson}). */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("_class_name", className);
        node.put("_diffusers_version", ConfigJson.DIFFUSERS_VERSION);
        attributes.forEach((k, v) -> node.set(k, v.deepCopy()));
        components.forEach((k, s) -> {
            ArrayNode a = node.putArray(k);
            if (s.library() == null) {
                a.addNull();
                a.addNull();
            } else {
                a.add(s.library());
                a.add(s.className());
            }
        });
        return node;
    }

    /** Writes {@code dir/model_index.json} and returns its path. */
    public Path write(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        ConfigJson.write(file, toJson());
        return file;
    }
}
