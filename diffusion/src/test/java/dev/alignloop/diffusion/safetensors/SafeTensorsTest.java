package dev.alignloop.diffusion.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsValuesOrderAndMetadataBitIdentical() throws IOException {
        Map<String, HostTensor> t = new LinkedHashMap<>();
        t.put("b.weight", HostTensor.ofFloats(new float[] {1f, -2.5f, 3e-8f, Float.MAX_VALUE, 0f, -0f}, 2, 3));
        t.put("a.ids", HostTensor.ofLongs(new long[] {1, -2, Long.MAX_VALUE}, 3));
        t.put("scalar", HostTensor.ofFloats(new float[] {7f}));
        Path f = dir.resolve("x.safetensors");
        SafeTensorsWriter.write(f, t, Map.of("format", "pt"));
        try (SafeTensors st = SafeTensors.open(f)) {
            assertEquals(java.util.List.of("b.weight", "a.ids", "scalar"), java.util.List.copyOf(st.tensors().keySet()));
            assertArrayEquals(new float[] {1f, -2.5f, 3e-8f, Float.MAX_VALUE, 0f, -0f}, st.readFloats("b.weight"));
            assertArrayEquals(new long[] {2, 3}, st.info("b.weight").shape());
            assertArrayEquals(new long[] {1, -2, Long.MAX_VALUE}, st.readLongs("a.ids"));
            assertEquals(0, st.info("scalar").shape().length);
            assertEquals("pt", st.metadata().get("format"));
        }
        Path g = dir.resolve("y.safetensors");
        Map<String, HostTensor> again = new LinkedHashMap<>();
        try (SafeTensors st = SafeTensors.open(f)) {
            for (TensorInfo info : st.tensors().values()) {
                again.put(info.name(), new HostTensor(info.dtype(), info.shape(), st.rawBytes(info.name())));
            }
        }
        SafeTensorsWriter.write(g, again, Map.of("format", "pt"));
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(g));
        assertEquals(0, SafeTensorsWriter.headerString(f).length() % 8);
    }

    @Test
    void halfAndBfloat16WidenExactly() {
        float[] values = {0f, 1f, -2f, 0.5f, 65504f, 6.1035156e-5f, 5.9604645e-8f, Float.POSITIVE_INFINITY};
        for (DType d : new DType[] {DType.F16, DType.BF16}) {
            Path f = dir.resolve(d + ".safetensors");
            SafeTensorsWriter.write(f, Map.of("w", HostTensor.ofFloats(values, d, values.length)), Map.of());
            try (SafeTensors st = SafeTensors.open(f)) {
                float[] got = st.readFloats("w");
                for (int i = 0; i < values.length; i++) {
                    if (d == DType.F16 || i < 5) {
                        assertEquals(values[i], got[i], Math.abs(values[i]) * 1e-2f, d + " value " + i);
                    }
                }
            }
        }
        assertEquals(0x3c00, DTypeCodec.floatToHalf(1f) & 0xffff);
        assertEquals(1.0009766f, DTypeCodec.halfToFloat((short) 0x3c01));
    }

    @Test
    void readsTheDiffusersParityInputs() {
        Path inputs = Path.of(System.getProperty("alignloop.parity.dir", "../parity"), "ddpm-noise-sd", "inputs.safetensors");
        try (SafeTensors st = SafeTensors.open(inputs)) {
            assertTrue(st.contains("original"), st.tensors().keySet().toString());
            float[] v = st.readFloats("original");
            assertEquals(st.info("original").numel(), v.length);
            assertTrue(Arrays.stream(st.info("original").shape()).allMatch(d -> d > 0));
        }
    }

    @Test
    void truncatedFileNamesTheTensor() throws IOException {
        Path f = dir.resolve("t.safetensors");
        SafeTensorsWriter.write(f, Map.of("unet.conv_in.weight", HostTensor.ofFloats(new float[16], 4, 4)), Map.of());
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 5));
        var e = assertThrows(SafeTensorsException.class, () -> SafeTensors.open(f));
        assertTrue(e.getMessage().contains("unet.conv_in.weight") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void badHeadersAreRejectedWithClearMessages() throws IOException {
        assertBad("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 8, "needs 8 bytes");
        assertBad("{\"w\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "unsupported dtype 'Q4'");
        assertBad("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, "overlapping");
        assertBad("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4, "invalid shape");
        assertBad("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", 8, "invalid data_offsets");
        assertBad("[1,2]", 0, "JSON object");
        assertBad("{not json", 0, "not valid JSON");
        Path f = dir.resolve("len.safetensors");
        Files.write(f, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
        assertThrows(SafeTensorsException.class, () -> SafeTensors.open(f));
    }

    private void assertBad(String header, int dataBytes, String expected) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, b.array());
        var e = assertThrows(SafeTensorsException.class, () -> SafeTensors.open(f).close());
        assertTrue(e.getMessage().contains(expected) && e.getMessage().contains("bad.safetensors"), e.getMessage());
    }
}
