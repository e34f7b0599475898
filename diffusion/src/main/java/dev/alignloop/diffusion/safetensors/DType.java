package dev.alignloop.diffusion.safetensors;

import ai.djl.ndarray.types.DataType;

/** Tensor element types of the safetensors format, with their on-disk sizes. */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element on disk. */
    public int bytes() {
        return bytes;
    }

    /** True for the floating-point types, which load as float32. */
    public boolean isFloating() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    /** Parses the header's {@code dtype} string; unknown names are a {@link SafeTensorsException}. */
    static DType parse(String name, String tensor, Object file) {
        try {
            return valueOf(name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new SafeTensorsException(file + ": tensor '" + tensor + "' has unsupported dtype '" + name
                    + "' (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
        }
    }

    /** The safetensors dtype that stores a DJL data type without loss. */
    public static DType of(DataType type) {
        switch (type) {
            case FLOAT64: return F64;
            case FLOAT32: return F32;
            case FLOAT16: return F16;
            case BFLOAT16: return BF16;
            case INT64: return I64;
            case INT32: return I32;
            case INT8: return I8;
            case UINT8: return U8;
            case BOOLEAN: return BOOL;
            default: throw new SafeTensorsException("no safetensors dtype for DJL type " + type);
        }
    }
}
