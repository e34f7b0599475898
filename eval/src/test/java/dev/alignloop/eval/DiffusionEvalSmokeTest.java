package dev.alignloop.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.alignloop.diffusion.checkpoint.CheckpointException;
import dev.alignloop.diffusion.checkpoint.CheckpointStore;
import dev.alignloop.diffusion.checkpoint.DiffusersWeights;
import dev.alignloop.diffusion.checkpoint.RngState;
import dev.alignloop.diffusion.checkpoint.TrainerState;
import dev.alignloop.diffusion.pretrained.TinyPolicyFolder;
import dev.alignloop.shapes.prompt.PromptGrammar;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code alignloop eval} on real (tiny, random, pixel-space) diffusion models: a training
 * checkpoint that holds only {@code unet/} is evaluated against the base folder it overlays.
 */
class DiffusionEvalSmokeTest {
    /** Short prompts: the tiny text encoder has 8 positions, [BOS] and [EOS] included. */
    private static final List<String> PROMPTS = List.of("a red circle", "two blue squares",
            "a small green triangle", "three yellow circles");
    private static final EvalConfig CONFIG = EvalConfig.builder().optPrompts(PromptSource.of(PROMPTS))
            .optSeedsPerPrompt(2).optSampler(new SamplerSettings(2, 2.0, null)).optGridColumns(4).build();

    @TempDir
    static Path tmp;
    private static Path base;
    private static Path checkpoint;
    private static Path reward;

    @BeforeAll
    static void writeModels() {
        base = TinyPolicyFolder.write(tmp.resolve("base"), Worlds.SIZE, PromptGrammar.vocabulary(), 1);
        // A "fine-tuned" UNet: other weights, same architecture; the checkpoint holds only it.
        Path tuned = TinyPolicyFolder.write(tmp.resolve("tuned"), Worlds.SIZE, PromptGrammar.vocabulary(), 2);
        TrainerState state = new TrainerState("ckpt-000002", null, 2, 2, new RngState(1, 0), List.of(), Map.of(),
                Instant.EPOCH);
        checkpoint = new CheckpointStore(tmp.resolve("checkpoints")).write(state,
                DiffusersWeights.copyFrom(tuned, "unet"), "adamw", Map.<String, NDArray>of()).dir();
        reward = Worlds.tinyOnnxReward(tmp.resolve("reward"));
    }

    @Test
    void aUnetOnlyCheckpointIsEvaluatedOnTopOfItsBase() throws Exception {
        assertFalse(Files.exists(checkpoint.resolve("text_encoder")));
        Path grid = tmp.resolve("grid.png");
        EvalReport r = EvalCommandSupport.run(checkpoint, base, reward, CONFIG, grid);
        assertEquals("ckpt-000002", r.policyName());
        assertEquals("base", r.baselineName());
        assertEquals(8, r.pairCount());
        assertEquals(List.of(CONFIG.seedFor(0, 0), CONFIG.seedFor(0, 1)),
                r.samples().subList(0, 2).stream().map(EvalSample::seed).toList());
        EvalSample s = r.samples().get(0);
        assertEquals(Worlds.SIZE, s.policy().getWidth());
        assertFalse(java.util.Arrays.equals(pixels(s.policy()), pixels(s.baseline())), "other UNet, other image");
        assertTrue(r.judgeSummary().isPresent());
        assertTrue(r.rewardWinRate().lower() <= r.rewardWinRate().rate());
        BufferedImage png = ImageIO.read(grid.toFile());
        assertEquals(SampleGrid.size(4, Worlds.SIZE, Worlds.SIZE).width, png.getWidth());
        assertEquals(SampleGrid.size(4, Worlds.SIZE, Worlds.SIZE).height, png.getHeight());
    }

    @Test
    void theBaseAgainstItselfTiesExactly() {
        EvalReport r = EvalCommandSupport.run(base, base, reward, CONFIG, null);
        assertEquals(8, r.rewardWinRate().ties());
        assertEquals(0.5, r.rewardWinRate().rate());
        assertEquals(Decision.REJECTED, r.decision());
    }

    @Test
    void aPromptTheTokenizerCannotTakeIsReportedBeforeSampling() {
        EvalConfig config = CONFIG.toBuilder().optPrompts(PromptSource.of(List.of("a red circle",
                "a small red circle left of a large blue square"))).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvalCommandSupport.run(checkpoint, base, reward, config, null));
        assertTrue(e.getMessage().contains("prompt 1") && e.getMessage().contains("too long"), e.getMessage());
    }

    @Test
    void aTamperedCheckpointIsRefusedNamingTheFile() throws Exception {
        Path copy = tmp.resolve("tampered/ckpt-000002");
        DiffusersWeights.copyFrom(checkpoint.getParent(), "ckpt-000002").write(tmp.resolve("tampered"));
        Path weights = copy.resolve("unet").resolve(DiffusersWeights.WEIGHTS_NAME);
        Files.write(weights, new byte[] {1}, StandardOpenOption.APPEND);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> EvalCommandSupport.run(copy, base, reward, CONFIG, null));
        assertTrue(e.getMessage().contains("unet/" + DiffusersWeights.WEIGHTS_NAME), e.getMessage());
    }

    @Test
    void missingFoldersNameTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvalCommandSupport.run(tmp.resolve("nope"), base, reward, CONFIG, null));
        assertTrue(e.getMessage().startsWith("--policy"), e.getMessage());
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
