package dev.alignloop.diffusion.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Converts little-endian tensor bytes to and from Java arrays. */
final class DTypeCodec {
    private DTypeCodec() {
    }

    static float[] toFloats(ByteBuffer buf, DType dtype, int n) {
        ByteBuffer b = buf.order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[n];
        switch (dtype) {
            case F32 -> b.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) b.getDouble(i * 8);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = halfToFloat(b.getShort(i * 2));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);
                }
            }
            default -> throw new SafeTensorsException("not a float dtype: " + dtype);
        }
        return out;
    }

    static long[] toLongs(ByteBuffer buf, DType dtype, int n) {
        ByteBuffer b = buf.order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (dtype) {
                case I64 -> b.getLong(i * 8);
                case I32 -> b.getInt(i * 4);
                case I16 -> b.getShort(i * 2);
                case I8 -> b.get(i);
                case U8, BOOL -> b.get(i) & 0xff;
                default -> throw new SafeTensorsException("not an integer dtype: " + dtype);
            };
        }
        return out;
    }

    /** Encodes floats in {@code dtype} (F32, F16 with round-to-nearest-even, BF16 likewise, F64). */
    static ByteBuffer fromFloats(float[] values, DType dtype) {
        ByteBuffer b = ByteBuffer.allocate(values.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            switch (dtype) {
                case F32 -> b.putFloat(v);
                case F64 -> b.putDouble(v);
                case F16 -> b.putShort(floatToHalf(v));
                case BF16 -> b.putShort(floatToBf16(v));
                default -> throw new SafeTensorsException("not a float dtype: " + dtype);
            }
        }
        return b.flip();
    }

    static ByteBuffer fromLongs(long[] values, DType dtype) {
        ByteBuffer b = ByteBuffer.allocate(values.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (dtype) {
                case I64 -> b.putLong(v);
                case I32 -> b.putInt((int) v);
                case I16 -> b.putShort((short) v);
                case I8, U8, BOOL -> b.put((byte) v);
                default -> throw new SafeTensorsException("not an integer dtype: " + dtype);
            }
        }
        return b.flip();
    }

    /** IEEE 754 binary16 → binary32, exact (including subnormals, inf and NaN). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal: mant * 2^-24
            return sign == 0 ? v : -v;
        }
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** binary32 → binary16 with round-to-nearest-even, as torch's {@code .half()} does. */
    static short floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            mant |= 0x800000;
            int shift = 14 - e;
            int half = mant >>> shift;
            int rem = mant & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rem > mid || (rem == mid && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >>> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) {
            half++;
        }
        return (short) (sign | half);
    }

    static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
