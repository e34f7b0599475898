package dev.alignloop.diffusion.unet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alignloop.diffusion.unet.UNet2DConditionConfig.MidBlockType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Typed reads with defaults; a present key of the wrong type fails naming the key. */
final class ConfigReader {
    private final JsonNode root;

    ConfigReader(JsonNode root) {
        this.root = root;
    }

    private JsonNode get(String key) {
        return root.get(key);
    }

    int integer(String key, int def) {
        JsonNode v = get(key);
        if (v == null || v.isNull()) {
            if (v != null) {
                throw new IllegalArgumentException(key + " must be an integer, got null");
            }
            return def;
        }
        return asInt(key, v);
    }

    Integer optInt(String key, Integer def) {
        JsonNode v = get(key);
        if (v == null) {
            return def;
        }
        return v.isNull() ? null : asInt(key, v);
    }

    private static int asInt(String key, JsonNode v) {
        if (!v.isIntegralNumber() && !(v.isNumber() && v.asDouble() == Math.rint(v.asDouble()))) {
            throw new IllegalArgumentException(key + " must be an integer, got " + v);
        }
        return v.asInt();
    }

    double number(String key, double def) {
        JsonNode v = get(key);
        if (v == null) {
            return def;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException(key + " must be a number, got " + v);
        }
        return v.asDouble();
    }

    boolean bool(String key, boolean def) {
        JsonNode v = get(key);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isBoolean()) {
            throw new UnsupportedConfigException(key, v, "expected true or false");
        }
        return v.asBoolean();
    }

    Boolean optBool(String key) {
        JsonNode v = get(key);
        return v == null || v.isNull() ? null : bool(key, false);
    }

    String string(String key, String def) {
        JsonNode v = get(key);
        if (v == null) {
            return def;
        }
        if (v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(key + " must be a string, got " + v);
        }
        return v.asText();
    }

    <T> List<T> list(String key, List<String> def, Function<String, T> map) {
        JsonNode v = get(key);
        List<String> raw = new ArrayList<>();
        if (v == null) {
            raw.addAll(def);
        } else if (!v.isArray()) {
            throw new IllegalArgumentException(key + " must be a list, got " + v);
        } else {
            v.forEach(e -> raw.add(e.asText()));
        }
        return raw.stream().map(map).toList();
    }

    List<Integer> intList(String key, List<Integer> def) {
        JsonNode v = get(key);
        if (v == null) {
            return def;
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException(key + " must be a list of integers, got " + v);
        }
        List<Integer> out = new ArrayList<>();
        v.forEach(e -> out.add(asInt(key, e)));
        return out;
    }

    PerBlock perBlock(String key, int def) {
        JsonNode v = get(key);
        if (v == null) {
            return PerBlock.of(def);
        }
        if (v.isArray()) {
            List<Integer> out = new ArrayList<>();
            for (JsonNode e : v) {
                if (e.isArray()) {
                    throw new UnsupportedConfigException(key, v, "nested (per-layer) lists are not implemented");
                }
                if (e.isNull()) {
                    throw new UnsupportedConfigException(key, v, "null entries are not implemented");
                }
                out.add(asInt(key, e));
            }
            return PerBlock.ofList(out);
        }
        if (v.isNull()) {
            throw new UnsupportedConfigException(key, "null", "an integer or a list of integers is required");
        }
        return PerBlock.of(asInt(key, v));
    }

    MidBlockType midBlock() {
        JsonNode v = get("mid_block_type");
        if (v == null) {
            return MidBlockType.UNetMidBlock2DCrossAttn;
        }
        return v.isNull() ? null : UNet2DConditionConfigJson.enumValue(MidBlockType.class, "mid_block_type", v.asText());
    }

    int normGroups() {
        JsonNode v = get("norm_num_groups");
        if (v != null && v.isNull()) {
            throw new UnsupportedConfigException("norm_num_groups", "null", "a GroupNorm group count is required");
        }
        return integer("norm_num_groups", 32);
    }
}
