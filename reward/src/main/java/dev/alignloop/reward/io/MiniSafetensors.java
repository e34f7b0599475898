package dev.alignloop.reward.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A minimal safetensors reader/writer (F32, F64, I32, I64) for the reward module's tools and parity
 * tests: 8-byte little-endian header length, JSON header, little-endian data.
 *
 * <p>Why here: the full implementation lives in {@code diffusion}, which brings DJL; the scorer
 * must not. Good candidate for a shared module.
 */
public final class MiniSafetensors {

    private MiniSafetensors() {
    }

    /**
     * One tensor, values widened to double for simple comparisons.
     *
     * @param dtype  safetensors dtype name (F32, F64, I32, I64)
     * @param shape  dimensions
     * @param values row-major values
     */
    public record Tensor(String dtype, long[] shape, double[] values) {
        /** Values as float32. */
        public float[] floats() {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            return f;
        }
    }

    /** Reads every tensor of a file, in header order. */
    public static Map<String, Tensor> read(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            long headerLen = buf.getLong(0);
            if (headerLen <= 0 || headerLen > bytes.length - 8) {
                throw new IllegalArgumentException(file + ": bad safetensors header length " + headerLen);
            }
            JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8));
            int base = 8 + (int) headerLen;
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : header.properties()) {
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                out.put(e.getKey(), tensor(file, e.getKey(), e.getValue(), buf, base));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read safetensors " + file, e);
        }
    }

    private static Tensor tensor(Path file, String name, JsonNode info, ByteBuffer buf, int base) {
        String dtype = info.path("dtype").asText();
        JsonNode shapeNode = info.path("shape");
        long[] shape = new long[shapeNode.size()];
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
            n *= shape[i];
        }
        long start = info.path("data_offsets").get(0).asLong();
        long end = info.path("data_offsets").get(1).asLong();
        int width = switch (dtype) {
            case "F32", "I32" -> 4;
            case "F64", "I64" -> 8;
            default -> throw new IllegalArgumentException(file + ": tensor " + name + " has unsupported dtype " + dtype);
        };
        if (end - start != n * width || base + end > buf.capacity()) {
            throw new IllegalArgumentException(file + ": tensor " + name + " offsets [" + start + ", " + end
                    + ") do not match shape and dtype " + dtype);
        }
        double[] v = new double[(int) n];
        int p = (int) (base + start);
        for (int i = 0; i < n; i++, p += width) {
            v[i] = switch (dtype) {
                case "F32" -> buf.getFloat(p);
                case "I32" -> buf.getInt(p);
                case "F64" -> buf.getDouble(p);
                default -> buf.getLong(p);
            };
        }
        return new Tensor(dtype, shape, v);
    }

    /** Writes float32 tensors atomically (temp file + move); shapes must match the data lengths. */
    public static void writeF32(Path file, Map<String, float[]> data, Map<String, long[]> shapes) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode header = mapper.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, float[]> e : data.entrySet()) {
            long[] shape = shapes.get(e.getKey());
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != e.getValue().length) {
                throw new IllegalArgumentException("tensor " + e.getKey() + ": shape holds " + n + " values, data " + e.getValue().length);
            }
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var s = t.putArray("shape");
            for (long d : shape) {
                s.add(d);
            }
            t.putArray("data_offsets").add(offset).add(offset + 4 * n);
            offset += 4 * n;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int pad = (8 - json.length % 8) % 8; // keep the data 8-byte aligned, as the reference writer does
        ByteBuffer buf = ByteBuffer.allocate(8 + json.length + pad + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length + pad).put(json);
        for (int i = 0; i < pad; i++) {
            buf.put((byte) ' ');
        }
        for (float[] v : data.values()) {
            for (float f : v) {
                buf.putFloat(f);
            }
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            Files.write(tmp, buf.array());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write safetensors " + file, e);
        }
    }
}
