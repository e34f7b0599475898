package dev.alignloop.diffusion.vae;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * diffusers' {@code ModelMixin._convert_deprecated_attention_blocks}, which diffusers 0.25.0 runs
 * when loading any VAE: checkpoints saved before diffusers 0.14 name the mid-block attention
 * weights {@code query/key/value/proj_attn}; they are the same tensors as today's
 * {@code to_q/to_k/to_v/to_out.0}. This is diffusers' own load-time rename, not an alias table:
 * only those four names under {@code mid_block.attentions.N} are touched, and saving always
 * writes the current names.
 */
final class LegacyAttentionNames {
    private static final Pattern OLD = Pattern.compile(
            "^((?:encoder|decoder)\\.mid_block\\.attentions\\.\\d+)\\.(query|key|value|proj_attn)\\.(weight|bias)$");

    private LegacyAttentionNames() {
    }

    /** {@code state} with deprecated attention names renamed (same arrays, same order). */
    static Map<String, NDArray> convert(Map<String, NDArray> state) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        state.forEach((name, array) -> {
            Matcher m = OLD.matcher(name);
            if (m.matches()) {
                String now = switch (m.group(2)) {
                    case "query" -> "to_q";
                    case "key" -> "to_k";
                    case "value" -> "to_v";
                    default -> "to_out.0";
                };
                out.put(m.group(1) + "." + now + "." + m.group(3), array);
            } else {
                out.put(name, array);
            }
        });
        return out;
    }
}
