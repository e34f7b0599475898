package dev.alignloop.diffusion.pretrained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigJsonTest {
    @TempDir
    Path dir;

    /** Expected strings below were printed by CPython 3 ({@code repr}, {@code json.dumps}). */
    @Test
    void floatsAreWrittenAsPythonRepr() {
        double[] values = {0.18215, 1e-5, 1e-6, 1.0, 0.0001, 1e16, 123456789012345.0, 1.5e300, 0.1 + 0.2, -2.5,
            100.0, 0.00012, 1e15, -0.0, Math.sqrt(2), 1.0 / 3};
        String[] python = {"0.18215", "1e-05", "1e-06", "1.0", "0.0001", "1e+16", "123456789012345.0", "1.5e+300",
            "0.30000000000000004", "-2.5", "100.0", "0.00012", "1000000000000000.0", "-0.0", "1.4142135623730951",
            "0.3333333333333333"};
        for (int i = 0; i < values.length; i++) {
            assertEquals(python[i], PythonJson.floatRepr(values[i]), "repr(" + values[i] + ")");
        }
    }

    @Test
    void treeIsFormattedLikePythonJsonDumpsIndent2SortKeys() throws Exception {
        ObjectNode n = (ObjectNode) ConfigJson.mapper().readTree(
                "{\"b\":[32,64],\"a\":{\"z\":null,\"y\":true,\"x\":[]},\"_class_name\":\"X\","
                        + "\"c\":\"\\u00e9\\\"\\\\\\n\\u007f\",\"d\":{},\"e\":1e-06,\"f\":[[1,2],{\"k\":0.5}]}");
        String python = """
                {
                  "_class_name": "X",
                  "a": {
                    "x": [],
                    "y": true,
                    "z": null
                  },
                  "b": [
                    32,
                    64
                  ],
                  "c": "\\u00e9\\"\\\\\\n\\u007f",
                  "d": {},
                  "e": 1e-06,
                  "f": [
                    [
                      1,
                      2
                    ],
                    {
                      "k": 0.5
                    }
                  ]
                }
                """;
        assertEquals(python, ConfigJson.toJsonString(n));
    }

    record Sample(@JsonProperty("block_out_channels") List<Integer> blockOutChannels,
            @JsonProperty("scaling_factor") Double scalingFactor) {
        Sample {
            if (blockOutChannels != null && blockOutChannels.isEmpty()) {
                throw new ConfigException("block_out_channels: must not be empty");
            }
        }
    }

    @Test
    void writeDiffusersAddsClassNameAndVersionAndReadsBack() throws Exception {
        Path f = dir.resolve("sub/config.json");
        ConfigJson.writeDiffusers(f, "AutoencoderKL", new Sample(List.of(32, 64), 0.18215));
        assertEquals("""
                {
                  "_class_name": "AutoencoderKL",
                  "_diffusers_version": "0.25.0",
                  "block_out_channels": [
                    32,
                    64
                  ],
                  "scaling_factor": 0.18215
                }
                """, Files.readString(f));
        assertEquals(new Sample(List.of(32, 64), 0.18215), ConfigJson.read(f, Sample.class));
    }

    @Test
    void errorsNameTheFileAndTheField() throws Exception {
        Path f = dir.resolve("config.json");
        Files.writeString(f, "{\"block_out_channels\": [32, 1.5]}");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigJson.read(f, Sample.class));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("block_out_channels"), e.getMessage());

        Files.writeString(f, "{\"scaling_factor\": \"0.1\"}");
        e = assertThrows(ConfigException.class, () -> ConfigJson.read(f, Sample.class));
        assertTrue(e.getMessage().contains("scaling_factor"), e.getMessage());

        Files.writeString(f, "{\"block_out_channels\": []}");
        e = assertThrows(ConfigException.class, () -> ConfigJson.read(f, Sample.class));
        assertEquals(f + ": block_out_channels: must not be empty", e.getMessage());

        Files.writeString(f, "{\"block_out_channels\": [32,");
        e = assertThrows(ConfigException.class, () -> ConfigJson.read(f));
        assertTrue(e.getMessage().startsWith(f + ": not valid JSON"), e.getMessage());

        e = assertThrows(ConfigException.class, () -> ConfigJson.read(dir.resolve("nope.json")));
        assertTrue(e.getMessage().endsWith("nope.json: file not found"), e.getMessage());
    }
}
