package dev.alignloop.diffusion.safetensors;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** A tensor in host memory, ready to be written: dtype, shape and little-endian bytes. */
public record HostTensor(DType dtype, long[] shape, ByteBuffer data) {

    public HostTensor {
        long numel = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (data.remaining() != numel * dtype.bytes()) {
            throw new SafeTensorsException("tensor " + dtype + Arrays.toString(shape) + " needs "
                    + numel * dtype.bytes() + " bytes, got " + data.remaining());
        }
    }

    public static HostTensor ofFloats(float[] values, long... shape) {
        return new HostTensor(DType.F32, shape, DTypeCodec.fromFloats(values, DType.F32));
    }

    /** Floats stored as {@code dtype} (F32, F16, BF16 or F64). */
    public static HostTensor ofFloats(float[] values, DType dtype, long... shape) {
        return new HostTensor(dtype, shape, DTypeCodec.fromFloats(values, dtype));
    }

    public static HostTensor ofLongs(long[] values, long... shape) {
        return new HostTensor(DType.I64, shape, DTypeCodec.fromLongs(values, DType.I64));
    }
}
