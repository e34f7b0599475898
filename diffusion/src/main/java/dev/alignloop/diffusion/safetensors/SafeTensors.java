package dev.alignloop.diffusion.safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a safetensors file lazily: the header is parsed and validated on {@link #open}, tensor
 * bytes are read on demand with positional reads (so multi-GB checkpoints need no 2 GB mapping).
 *
 * <p>Validation follows the format's rules: header length bounded and inside the file, every
 * entry's byte range equals {@code numel * dtype size}, ranges lie inside the data section and do
 * not overlap. Every failure names the file and the tensor.
 */
public final class SafeTensors implements AutoCloseable {
    /** The reference implementation refuses headers above 100 MB. */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafeTensors(Path file, FileChannel channel, long dataStart,
                        Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Opens and validates {@code file}; the caller closes it. */
    public static SafeTensors open(Path file) {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new SafeTensorsException(file + ": cannot open safetensors file: " + e.getMessage(), e);
        }
        try {
            long size = ch.size();
            if (size < 8) {
                throw new SafeTensorsException(file + ": truncated file (" + size + " bytes, no header length)");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0, file);
            long headerLen = len.flip().getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES || 8 + headerLen > size) {
                throw new SafeTensorsException(file + ": invalid header length " + headerLen
                        + " for a file of " + size + " bytes (truncated or not a safetensors file)");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            readFully(ch, header, 8, file);
            String json = new String(header.array(), StandardCharsets.UTF_8);
            long dataStart = 8 + headerLen;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, TensorInfo> tensors = parseHeader(file, json, size - dataStart, metadata);
            return new SafeTensors(file, ch, dataStart, tensors, metadata);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new SafeTensorsException(file + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static Map<String, TensorInfo> parseHeader(Path file, String json, long dataLength,
                                                       Map<String, String> metadata) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new SafeTensorsException(file + ": header is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafeTensorsException(file + ": header must be a JSON object");
        }
        Map<String, TensorInfo> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode node = e.getValue();
            if ("__metadata__".equals(name)) {
                node.fields().forEachRemaining(m -> {
                    if (!m.getValue().isTextual()) {
                        throw new SafeTensorsException(file + ": __metadata__ value for '" + m.getKey() + "' is not a string");
                    }
                    metadata.put(m.getKey(), m.getValue().asText());
                });
                continue;
            }
            out.put(name, parseEntry(file, name, node, dataLength));
        }
        checkNoOverlap(file, out.values());
        return Collections.unmodifiableMap(out);
    }

    private static TensorInfo parseEntry(Path file, String name, JsonNode node, long dataLength) {
        if (!node.isObject() || !node.has("dtype") || !node.has("shape") || !node.has("data_offsets")) {
            throw new SafeTensorsException(file + ": tensor '" + name + "' needs dtype, shape and data_offsets");
        }
        DType dtype = DType.parse(node.get("dtype").asText(), name, file);
        JsonNode shapeNode = node.get("shape");
        long[] shape = new long[shapeNode.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToLong() || d.asLong() < 0) {
                throw new SafeTensorsException(file + ": tensor '" + name + "' has invalid shape " + shapeNode);
            }
            shape[i] = d.asLong();
            numel = Math.multiplyExact(numel, shape[i]);
        }
        JsonNode off = node.get("data_offsets");
        if (!off.isArray() || off.size() != 2) {
            throw new SafeTensorsException(file + ": tensor '" + name + "' data_offsets must be [begin, end]");
        }
        long begin = off.get(0).asLong(-1);
        long end = off.get(1).asLong(-1);
        if (begin < 0 || end < begin) {
            throw new SafeTensorsException(file + ": tensor '" + name + "' has invalid data_offsets " + off);
        }
        if (end > dataLength) {
            throw new SafeTensorsException(file + ": tensor '" + name + "' ends at byte " + end
                    + " but the data section holds only " + dataLength + " bytes (truncated file?)");
        }
        long expected = numel * dtype.bytes();
        if (end - begin != expected) {
            throw new SafeTensorsException(file + ": tensor '" + name + "' " + dtype + java.util.Arrays.toString(shape)
                    + " needs " + expected + " bytes but data_offsets span " + (end - begin));
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static void checkNoOverlap(Path file, java.util.Collection<TensorInfo> infos) {
        List<TensorInfo> sorted = new ArrayList<>(infos);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        for (int i = 1; i < sorted.size(); i++) {
            TensorInfo a = sorted.get(i - 1);
            TensorInfo b = sorted.get(i);
            if (b.begin() < a.end() && b.byteLength() > 0 && a.byteLength() > 0) {
                throw new SafeTensorsException(file + ": tensors '" + a.name() + "' and '" + b.name()
                        + "' have overlapping byte ranges");
            }
        }
    }

    public Path file() {
        return file;
    }

    /** Header entries in file order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** The optional {@code __metadata__} string map. */
    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new SafeTensorsException(file + ": no tensor named '" + name + "'");
        }
        return info;
    }

    /** Raw little-endian bytes of one tensor. */
    public ByteBuffer rawBytes(String name) {
        TensorInfo info = info(name);
        if (info.byteLength() > Integer.MAX_VALUE - 8) {
            throw new SafeTensorsException(file + ": tensor '" + name + "' is larger than 2 GB");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) info.byteLength()).order(ByteOrder.LITTLE_ENDIAN);
        try {
            readFully(channel, buf, dataStart + info.begin(), file);
        } catch (IOException e) {
            throw new SafeTensorsException(file + ": cannot read tensor '" + name + "': " + e.getMessage(), e);
        }
        return buf.flip().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A floating-point tensor converted to float32 (F16 and BF16 widen exactly). */
    public float[] readFloats(String name) {
        TensorInfo info = info(name);
        if (!info.dtype().isFloating()) {
            throw new SafeTensorsException(file + ": tensor '" + name + "' is " + info.dtype() + ", expected a float type");
        }
        return DTypeCodec.toFloats(rawBytes(name), info.dtype(), (int) info.numel());
    }

    /** An integer or boolean tensor widened to int64. */
    public long[] readLongs(String name) {
        TensorInfo info = info(name);
        if (info.dtype().isFloating()) {
            throw new SafeTensorsException(file + ": tensor '" + name + "' is " + info.dtype() + ", expected an integer type");
        }
        return DTypeCodec.toLongs(rawBytes(name), info.dtype(), (int) info.numel());
    }

    /** Loads one tensor: float types as float32, integer types as int64. */
    public NDArray toNDArray(String name, NDManager manager) {
        TensorInfo info = info(name);
        Shape shape = new Shape(info.shape());
        NDArray array = info.dtype().isFloating()
                ? manager.create(readFloats(name), shape)
                : manager.create(readLongs(name), shape);
        array.setName(name);
        return array;
    }

    /** Loads every tensor, in file order. */
    public Map<String, NDArray> loadAll(NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (String name : tensors.keySet()) {
            out.put(name, toNDArray(name, manager));
        }
        return out;
    }

    /** Convenience: open, load everything, close. */
    public static Map<String, NDArray> load(Path file, NDManager manager) {
        try (SafeTensors st = open(file)) {
            return st.loadAll(manager);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new SafeTensorsException(file + ": unexpected end of file at byte " + pos + " (truncated file)");
            }
            pos += n;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // already failing; the original error is more useful
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }
}
