package dev.alignloop.diffusion.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class UNetConfigTest {

    @Test
    void parityConfigParsesAndIsWrittenBackByteForByte() throws Exception {
        Path file = UNetParityTest.parityDir().resolve("unet-sd15-tiny/unet/config.json");
        UNet2DConditionConfig c = UNet2DConditionConfigJson.read(file);
        assertEquals(List.of(32, 64), c.blockOutChannels());
        assertEquals(128, c.timeEmbedDim());
        assertEquals(8, c.numAttentionHeads(1)); // attention_head_dim is the head count (diffusers quirk)
        assertEquals(UNet2DConditionConfig.MidBlockType.UNetMidBlock2DCrossAttn, c.midBlockType());
        assertFalse(c.usesTextTime());
        assertEquals(Files.readString(file), UNet2DConditionConfigJson.toJsonString(c));
    }

    @Test
    void missingKeysTakeDiffusersDefaults() {
        UNet2DConditionConfig c = UNet2DConditionConfigJson.parse("{\"unknown_future_key\": 1}");
        assertEquals(List.of(320, 640, 1280, 1280), c.blockOutChannels());
        assertEquals(1280, c.crossAttentionDim().get(3));
        assertEquals(2, c.layersPerBlock().get(0));
        assertEquals(1e-5, c.normEps());
        assertNull(c.sampleSize());
        assertEquals(c, UNet2DConditionConfigJson.parse(UNet2DConditionConfigJson.toJsonString(c)));
    }

    @Test
    void listsRoundTripInTheirOwnForm() {
        UNet2DConditionConfig c = UNet2DConditionConfigJson.parse("""
                {"block_out_channels": [32, 64, 64], "attention_head_dim": [1, 2, 4],
                 "transformer_layers_per_block": [1, 1, 2], "layers_per_block": 1, "cross_attention_dim": 24,
                 "down_block_types": ["DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"],
                 "up_block_types": ["CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"],
                 "addition_embed_type": "text_time", "addition_time_embed_dim": 8,
                 "projection_class_embeddings_input_dim": 64, "norm_eps": 0.0001, "mid_block_scale_factor": 1.5}
                """);
        String json = UNet2DConditionConfigJson.toJsonString(c);
        assertTrue(json.contains("\"attention_head_dim\": [\n    1,\n    2,\n    4\n  ]"), json);
        assertTrue(json.contains("\"layers_per_block\": 1,"), json);
        assertTrue(json.contains("\"norm_eps\": 0.0001,"), json);
        assertTrue(json.contains("\"mid_block_scale_factor\": 1.5,"), json);
        assertTrue(json.contains("\"_class_name\": \"UNet2DConditionModel\""), json);
        assertTrue(json.contains("\"_diffusers_version\": \"0.25.0\""), json);
        assertEquals(c, UNet2DConditionConfigJson.parse(json));
        assertEquals(4, c.numAttentionHeads(2));
        assertEquals(2, c.transformerLayersPerBlock().get(2));
    }

    @Test
    void pythonFloatRepr() {
        assertEquals("1e-05", UNet2DConditionConfigJson.pythonRepr(1e-5));
        assertEquals("1e-06", UNet2DConditionConfigJson.pythonRepr(1e-6));
        assertEquals("0.0001", UNet2DConditionConfigJson.pythonRepr(1e-4));
        assertEquals("0.18215", UNet2DConditionConfigJson.pythonRepr(0.18215));
        assertEquals("1.0", UNet2DConditionConfigJson.pythonRepr(1.0));
        assertEquals("0.0", UNet2DConditionConfigJson.pythonRepr(0.0));
        assertEquals("1e+16", UNet2DConditionConfigJson.pythonRepr(1e16));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "class_embed_type|\"timestep\"",
        "num_class_embeds|10",
        "time_embedding_type|\"fourier\"",
        "resnet_time_scale_shift|\"scale_shift\"",
        "attention_type|\"gated\"",
        "addition_embed_type|\"text\"",
        "num_attention_heads|8",
        "encoder_hid_dim|768",
        "dual_cross_attention|true",
        "only_cross_attention|true",
        "class_embeddings_concat|true",
        "time_cond_proj_dim|256",
        "transformer_layers_per_block|[[1], [1], [1], [1]]",
        "down_block_types|[\"AttnDownBlock2D\", \"DownBlock2D\", \"DownBlock2D\", \"DownBlock2D\"]",
        "mid_block_type|\"UNetMidBlock2DSimpleCrossAttn\"",
        "act_fn|\"tanhshrink\"",
        "norm_num_groups|null",
    })
    void unsupportedValuesNameTheKey(String key, String value) {
        UnsupportedConfigException e = assertThrows(UnsupportedConfigException.class,
                () -> UNet2DConditionConfigJson.parse("{\"" + key + "\": " + value + "}"));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void conflictsNameBothSides() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UNet2DConditionConfigJson.parse("{\"attention_head_dim\": [8, 8]}"));
        assertTrue(e.getMessage().contains("attention_head_dim") && e.getMessage().contains("down_block_types"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> UNet2DConditionConfigJson.parse("{\"addition_embed_type\": \"text_time\"}"));
        assertTrue(e.getMessage().contains("projection_class_embeddings_input_dim"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> UNet2DConditionConfigJson.parse("{\"block_out_channels\": [32, 48, 64, 64]}"));
        assertTrue(e.getMessage().contains("norm_num_groups"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> UNet2DConditionConfigJson.parse("{\"up_block_types\": [\"UpBlock2D\"]}"));
        assertTrue(e.getMessage().contains("up_block_types"), e.getMessage());
    }
}
