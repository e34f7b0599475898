package dev.alignloop.diffusion.lora;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * peft's {@code LoraConfig} for one adapter: {@code LoraConfig(r=rank, lora_alpha=alpha,
 * target_modules=targets, lora_dropout=dropout)} with peft's defaults otherwise
 * ({@code init_lora_weights=True}: A kaiming-uniform with {@code a=sqrt(5)}, B zeros;
 * {@code bias="none"}; no rsLoRA, no DoRA).
 *
 * <p>A target names a module by the end of its dotted path, as peft matches a list of
 * {@code target_modules}: {@code "to_q"} selects every {@code ...attn1.to_q} and
 * {@code ...attn2.to_q}; a full path selects one layer.
 *
 * @param rank {@code r}, the inner dimension of the update (> 0)
 * @param alpha {@code lora_alpha}; the update is scaled by {@code alpha / rank} (> 0)
 * @param targets module names or path suffixes (non-empty, no duplicates)
 * @param dropout {@code lora_dropout} on the adapter's input while training, in [0, 1)
 */
public record LoraConfig(int rank, double alpha, List<String> targets, double dropout) {
    /** The attention projections diffusers' LoRA scripts adapt: {@code ["to_q", "to_k", "to_v", "to_out.0"]}. */
    public static final List<String> ATTENTION_TARGETS = List.of("to_q", "to_k", "to_v", "to_out.0");

    private static final Pattern TARGET = Pattern.compile("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*");

    /** Validates; messages name the field and the value. */
    public LoraConfig {
        if (rank <= 0) {
            throw new IllegalArgumentException("LoRA rank must be > 0, got " + rank);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("LoRA alpha must be finite and > 0, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        }
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("LoRA targets must name at least one module, e.g. " + ATTENTION_TARGETS);
        }
        List<String> clean = new ArrayList<>();
        for (String t : targets) {
            if (t == null || !TARGET.matcher(t).matches()) {
                throw new IllegalArgumentException("LoRA target '" + t + "' is not a module name or dotted path");
            }
            clean.add(t);
        }
        if (new LinkedHashSet<>(clean).size() != clean.size()) {
            throw new IllegalArgumentException("LoRA targets repeat a name: " + clean);
        }
        targets = List.copyOf(clean);
    }

    /** Rank {@code rank}, {@code lora_alpha = alpha}, the attention projections, no dropout. */
    public static LoraConfig attention(int rank, double alpha) {
        return new LoraConfig(rank, alpha, ATTENTION_TARGETS, 0.0);
    }

    /** {@code scaling = lora_alpha / r}: the factor of {@code B A x}. */
    public double scaling() {
        return alpha / rank;
    }

    /** Whether the module at {@code path} is a target (peft: equal, or ends with {@code "." + target}). */
    public boolean matches(String path) {
        for (String t : targets) {
            if (matches(path, t)) {
                return true;
            }
        }
        return false;
    }

    static boolean matches(String path, String target) {
        return path.equals(target) || path.endsWith("." + target);
    }
}
