package dev.alignloop.shapes.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.diffusion.clip.ClipTextConfig;
import dev.alignloop.diffusion.scheduler.BetaSchedule;
import dev.alignloop.diffusion.scheduler.PredictionType;
import dev.alignloop.diffusion.scheduler.SchedulerType;
import dev.alignloop.diffusion.scheduler.TimestepSpacing;
import dev.alignloop.diffusion.unet.UNet2DConditionConfig;
import dev.alignloop.diffusion.unet.UNet2DConditionConfigJson;
import org.junit.jupiter.api.Test;

class ShapesModelConfigsTest {

    @Test
    void unetHasNoAttentionAtFullResolutionAndCrossAttendsToTheTextEncoder() {
        UNet2DConditionConfig c = ShapesModelConfigs.unet();
        assertEquals(3, c.inChannels());
        assertEquals(3, c.outChannels());
        assertEquals(UNet2DConditionConfig.DownBlockType.DownBlock2D, c.downBlockTypes().get(0));
        assertEquals(UNet2DConditionConfig.UpBlockType.UpBlock2D, c.upBlockTypes().get(c.numBlocks() - 1));
        assertTrue(c.downBlockTypes().subList(1, 3).stream().allMatch(t -> t == UNet2DConditionConfig.DownBlockType.CrossAttnDownBlock2D));
        assertEquals(ShapesModelConfigs.TEXT_HIDDEN, c.crossAttentionDim().get(0));
        // config.json written and read back unchanged
        assertEquals(c, UNet2DConditionConfigJson.parse(UNet2DConditionConfigJson.toJsonString(c)));
    }

    @Test
    void textEncoderMatchesTheTokenizer() {
        ShapesTokenizer tok = ShapesTokenizer.create();
        ClipTextConfig c = ShapesModelConfigs.textEncoder(tok.vocabSize());
        assertEquals(tok.vocabSize(), c.vocabSize());
        assertEquals(ShapesTokenizer.MAX_LENGTH, c.maxPositionEmbeddings());
        assertEquals(ShapesTokenizer.EOS_ID, c.eosTokenId());
        assertEquals(ShapesTokenizer.PAD_ID, c.padTokenId());
        assertFalse(c.hasProjection());
    }

    @Test
    void trainingIsDdpmAndSamplingDdimOnTheSameCosineSchedule() {
        var sampling = ShapesModelConfigs.samplingScheduler();
        var training = ShapesModelConfigs.trainingScheduler();
        assertEquals(SchedulerType.DDIM, sampling.type());
        assertEquals(SchedulerType.DDPM, training.type());
        for (var s : new dev.alignloop.diffusion.scheduler.SchedulerConfig[] {sampling, training}) {
            assertEquals(BetaSchedule.SQUAREDCOS_CAP_V2, s.betaSchedule());
            assertEquals(PredictionType.V_PREDICTION, s.predictionType());
            assertEquals(1000, s.numTrainTimesteps());
            assertTrue(s.clipSample());
        }
        assertEquals(TimestepSpacing.TRAILING, sampling.timestepSpacing());
    }
}
