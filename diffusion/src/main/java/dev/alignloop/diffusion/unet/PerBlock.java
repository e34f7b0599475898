package dev.alignloop.diffusion.unet;

import java.util.List;

/**
 * A config value that diffusers accepts either as one int for every block or as a list with one
 * int per down block ({@code attention_head_dim}, {@code layers_per_block}, ...). Remembers which
 * form it had so a saved config.json reads like the original.
 *
 * @param values one value (scalar form) or one per block
 * @param scalar whether config.json held a single int
 */
public record PerBlock(List<Integer> values, boolean scalar) {
    /** Validates: a scalar has exactly one value; no nulls. */
    public PerBlock {
        values = List.copyOf(values);
        if (scalar && values.size() != 1) {
            throw new IllegalArgumentException("a scalar PerBlock holds exactly one value, got " + values);
        }
    }

    /** The scalar form. */
    public static PerBlock of(int value) {
        return new PerBlock(List.of(value), true);
    }

    /** The list form. */
    public static PerBlock ofList(List<Integer> values) {
        return new PerBlock(values, false);
    }

    /** The value for down block {@code i} (the same for all blocks in scalar form). */
    public int get(int i) {
        return scalar ? values.get(0) : values.get(i);
    }

    /** Throws if the list form does not have {@code n} entries. */
    void checkLength(String key, int n) {
        if (!scalar && values.size() != n) {
            throw new IllegalArgumentException(key + " has " + values.size() + " entries " + values
                    + " but there are " + n + " down_block_types");
        }
    }

    /** The config.json form: an int or a list. */
    Object toJsonValue() {
        return scalar ? values.get(0) : values;
    }

    @Override
    public String toString() {
        return String.valueOf(toJsonValue());
    }
}
