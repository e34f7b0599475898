package dev.alignloop.diffusion.safetensors;

import java.util.Arrays;

/**
 * One header entry: name, dtype, shape and the byte range {@code [begin, end)} relative to the
 * start of the data section.
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    /** Number of elements (1 for a scalar with shape []). */
    public long numel() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public long byteLength() {
        return end - begin;
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
