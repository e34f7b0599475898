package dev.alignloop.diffusion.pretrained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelIndexTest {
    @TempDir
    Path dir;

    static final String SDXL = "{\"_class_name\": \"StableDiffusionXLPipeline\", \"_diffusers_version\": \"0.19.0.dev0\","
            + " \"force_zeros_for_empty_prompt\": true, \"add_watermarker\": null,"
            + " \"scheduler\": [\"diffusers\", \"EulerDiscreteScheduler\"], \"text_encoder\": [\"transformers\", \"CLIPTextModel\"],"
            + " \"text_encoder_2\": [\"transformers\", \"CLIPTextModelWithProjection\"],"
            + " \"tokenizer\": [\"transformers\", \"CLIPTokenizer\"], \"tokenizer_2\": [\"transformers\", \"CLIPTokenizer\"],"
            + " \"unet\": [\"diffusers\", \"UNet2DConditionModel\"], \"vae\": [\"diffusers\", \"AutoencoderKL\"],"
            + " \"image_encoder\": [null, null], \"feature_extractor\": [null, null]}";

    /** What {@code json.dumps(d, indent=2, sort_keys=True)} prints for SDXL with version 0.25.0. */
    static final String SDXL_WRITTEN = """
            {
              "_class_name": "StableDiffusionXLPipeline",
              "_diffusers_version": "0.25.0",
              "add_watermarker": null,
              "feature_extractor": [
                null,
                null
              ],
              "force_zeros_for_empty_prompt": true,
              "image_encoder": [
                null,
                null
              ],
              "scheduler": [
                "diffusers",
                "EulerDiscreteScheduler"
              ],
              "text_encoder": [
                "transformers",
                "CLIPTextModel"
              ],
              "text_encoder_2": [
                "transformers",
                "CLIPTextModelWithProjection"
              ],
              "tokenizer": [
                "transformers",
                "CLIPTokenizer"
              ],
              "tokenizer_2": [
                "transformers",
                "CLIPTokenizer"
              ],
              "unet": [
                "diffusers",
                "UNet2DConditionModel"
              ],
              "vae": [
                "diffusers",
                "AutoencoderKL"
              ]
            }
            """;

    @Test
    void readsComponentsAttributesAndAbsentEntries() throws Exception {
        Path f = dir.resolve("model_index.json");
        Files.writeString(f, SDXL);
        ModelIndex idx = ModelIndex.read(f);
        assertEquals("StableDiffusionXLPipeline", idx.className());
        assertEquals("0.19.0.dev0", idx.diffusersVersion());
        assertEquals(ComponentSpec.transformers("CLIPTextModelWithProjection"), idx.components().get("text_encoder_2"));
        assertEquals(ComponentSpec.ABSENT, idx.components().get("image_encoder"));
        assertFalse(idx.has("image_encoder"));
        assertTrue(idx.has("vae"));
        assertEquals(List.of("add_watermarker", "force_zeros_for_empty_prompt"), List.copyOf(idx.attributes().keySet()));
        assertTrue(idx.attributes().get("force_zeros_for_empty_prompt").booleanValue());
    }

    @Test
    void writesTheBytesDiffusersWritesAndRoundTrips() throws Exception {
        Files.writeString(dir.resolve("model_index.json"), SDXL);
        ModelIndex idx = ModelIndex.read(dir.resolve("model_index.json"));
        Path out = Files.createDirectories(dir.resolve("out"));
        idx.write(out);
        assertEquals(SDXL_WRITTEN, Files.readString(out.resolve("model_index.json")));
        ModelIndex again = ModelIndex.read(out.resolve("model_index.json"));
        assertEquals(idx.components(), again.components());
        assertEquals(idx.attributes(), again.attributes());
        again.write(out);
        assertEquals(SDXL_WRITTEN, Files.readString(out.resolve("model_index.json")));
    }

    @Test
    void buildsInCode() throws Exception {
        ModelIndex idx = ModelIndex.of("AlignLoopPipeline", Map.of(
                "unet", ComponentSpec.diffusers("UNet2DConditionModel"),
                "scheduler", ComponentSpec.diffusers("DDPMScheduler")));
        idx.write(dir);
        assertEquals("""
                {
                  "_class_name": "AlignLoopPipeline",
                  "_diffusers_version": "0.25.0",
                  "scheduler": [
                    "diffusers",
                    "DDPMScheduler"
                  ],
                  "unet": [
                    "diffusers",
                    "UNet2DConditionModel"
                  ]
                }
                """, Files.readString(dir.resolve("model_index.json")));
    }

    @Test
    void rejectsMalformedEntries() throws Exception {
        Path f = dir.resolve("model_index.json");
        Files.writeString(f, "{\"unet\": [\"diffusers\", \"UNet2DConditionModel\"]}");
        ConfigException e = assertThrows(ConfigException.class, () -> ModelIndex.read(f));
        assertTrue(e.getMessage().contains("_class_name"), e.getMessage());
        Files.writeString(f, "{\"_class_name\": \"P\", \"unet\": [\"diffusers\", null]}");
        e = assertThrows(ConfigException.class, () -> ModelIndex.read(f));
        assertTrue(e.getMessage().contains("'unet'"), e.getMessage());
    }
}
