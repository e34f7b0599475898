package dev.alignloop.diffusion.safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes safetensors files atomically (temp file, fsync, rename), tensors in the map's order,
 * header padded with spaces to an 8-byte boundary as the reference implementation does.
 */
public final class SafeTensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafeTensorsWriter() {
    }

    /** Writes NDArrays in their own dtype (float32 stays F32, int64 stays I64). */
    public static void writeArrays(Path file, Map<String, NDArray> arrays, Map<String, String> metadata) {
        Map<String, HostTensor> host = new LinkedHashMap<>();
        arrays.forEach((name, a) -> host.put(name, toHost(name, a)));
        write(file, host, metadata);
    }

    /** Copies an NDArray to host memory; float types other than F32/F64/F16/BF16 are refused. */
    public static HostTensor toHost(String name, NDArray array) {
        DataType type = array.getDataType();
        DType dtype;
        try {
            dtype = DType.of(type);
        } catch (SafeTensorsException e) {
            throw new SafeTensorsException("tensor '" + name + "': " + e.getMessage());
        }
        ByteBuffer bytes = array.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        return new HostTensor(dtype, array.getShape().getShape(), bytes);
    }

    public static void write(Path file, Map<String, HostTensor> tensors, Map<String, String> metadata) {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
            HostTensor t = e.getValue();
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", t.dtype().name());
            var shape = entry.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            long len = t.data().remaining();
            entry.putArray("data_offsets").add(offset).add(offset + len);
            offset += len;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new SafeTensorsException(file + ": cannot encode header", e);
        }
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, head);
                for (HostTensor t : tensors.values()) {
                    writeFully(ch, t.data().duplicate());
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // keep the original error
            }
            throw new SafeTensorsException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Header JSON size helper for tests and tools. */
    static String headerString(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        long len = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new String(all, 8, (int) len, StandardCharsets.UTF_8);
    }
}
