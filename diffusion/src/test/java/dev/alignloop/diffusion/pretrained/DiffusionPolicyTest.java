package dev.alignloop.diffusion.pretrained;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alignloop.diffusion.scheduler.SchedulerType;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading and sampling a whole (tiny, random, pixel-space) text-to-image folder. */
class DiffusionPolicyTest {
    private static final List<String> WORDS = List.of("a", "red", "blue", "circle", "square");
    private static final int SIZE = 16;
    private static final SamplingOptions FOUR_STEPS = SamplingOptions.of(4, 3.0);

    @TempDir
    static Path tmp;
    private static Path folder;
    private static NDManager manager;

    @BeforeAll
    static void writeFolder() {
        folder = TinyPolicyFolder.write(tmp.resolve("tiny"), SIZE, WORDS, 7);
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    @Test
    void sameSeedGivesSamePixelsAndBatchesOfFourWork() {
        try (DiffusionPolicy policy = DiffusionPolicy.loader().optStrictTokenizer(true).load(folder, manager)) {
            assertTrue(policy.isPixelSpace());
            assertEquals(SIZE, policy.height());
            assertEquals(SIZE, policy.width());
            assertEquals(TinyPolicyFolder.MAX_TOKENS, policy.maxPromptTokens());
            List<String> prompts = List.of("a red circle", "a blue square", "a red square", "a blue circle");
            long[] seeds = {1, 2, 3, 4};
            List<BufferedImage> first = policy.generate(prompts, seeds, FOUR_STEPS);
            List<BufferedImage> again = policy.generate(prompts, seeds, FOUR_STEPS);
            assertEquals(4, first.size());
            for (int i = 0; i < 4; i++) {
                assertEquals(SIZE, first.get(i).getWidth());
                assertEquals(SIZE, first.get(i).getHeight());
                assertArrayEquals(pixels(first.get(i)), pixels(again.get(i)), "image " + i + " is not reproducible");
            }
            // Another seed, another image; the same seed alone, the same image as in the batch.
            List<BufferedImage> other = policy.generate(List.of(prompts.get(0)), new long[] {99}, FOUR_STEPS);
            assertFalse(java.util.Arrays.equals(pixels(first.get(0)), pixels(other.get(0))));
            List<BufferedImage> alone = policy.generate(List.of(prompts.get(2)), new long[] {3}, FOUR_STEPS);
            assertArrayEquals(pixels(first.get(2)), pixels(alone.get(0)), "image depends on its batch");
        }
    }

    @Test
    void aReloadedFolderGivesTheSameImages() {
        int[] a;
        int[] b;
        try (DiffusionPolicy policy = DiffusionPolicy.load(folder, manager)) {
            a = pixels(policy.generate(List.of("a red circle"), new long[] {5}, FOUR_STEPS).get(0));
        }
        try (DiffusionPolicy policy = DiffusionPolicy.load(folder, manager)) {
            b = pixels(policy.generate(List.of("a red circle"), new long[] {5}, FOUR_STEPS).get(0));
        }
        assertArrayEquals(a, b);
    }

    @Test
    void validatesPromptsAgainstTheTokenizer() {
        try (DiffusionPolicy strict = DiffusionPolicy.loader().optStrictTokenizer(true).load(folder, manager);
             DiffusionPolicy lenient = DiffusionPolicy.load(folder, manager)) {
            assertTrue(strict.validatePrompt("a red circle").isEmpty());
            assertTrue(strict.validatePrompt("").isEmpty(), "the unconditional prompt is valid");
            assertTrue(strict.validatePrompt("a green circle").orElseThrow().contains("green"));
            assertTrue(lenient.validatePrompt("a green circle").isEmpty(), "unknown words map to [UNK]");
            // 6 words + [BOS] + [EOS] = 8 tokens fit; 7 words do not.
            assertTrue(strict.validatePrompt("a red circle a blue square").isEmpty());
            assertTrue(strict.validatePrompt("a red circle a blue square a").orElseThrow().contains("too long"));
        }
    }

    @Test
    void samplerOverrideAndNegativePrompts() {
        try (DiffusionPolicy policy = DiffusionPolicy.loader().optSampler(SchedulerType.EULER_DISCRETE)
                .load(folder, manager)) {
            assertEquals(SchedulerType.EULER_DISCRETE, policy.schedulerConfig().type());
            List<BufferedImage> plain = policy.generate(List.of("a red circle"), new long[] {1}, FOUR_STEPS);
            List<BufferedImage> negative = policy.generate(List.of("a red circle"), new long[] {1},
                    FOUR_STEPS.withNegativePrompts(List.of("blue")));
            assertFalse(java.util.Arrays.equals(pixels(plain.get(0)), pixels(negative.get(0))));
        }
    }

    @Test
    void aUnetOnlyCheckpointLoadsOverItsBase() throws IOException {
        Path other = TinyPolicyFolder.write(tmp.resolve("other"), SIZE, WORDS, 99);
        Path checkpoint = Files.createDirectories(tmp.resolve("checkpoint"));
        Files.move(other.resolve("unet"), checkpoint.resolve("unet"));
        assertThrows(DiffusersFolderException.class, () -> DiffusionPolicy.load(checkpoint, manager));
        try (DiffusionPolicy base = DiffusionPolicy.load(folder, manager);
             DiffusionPolicy tuned = DiffusionPolicy.loader().optBaseFolder(folder).load(checkpoint, manager)) {
            assertEquals(checkpoint.toAbsolutePath().normalize(), tuned.root());
            int[] a = pixels(base.generate(List.of("a red circle"), new long[] {5}, FOUR_STEPS).get(0));
            int[] b = pixels(tuned.generate(List.of("a red circle"), new long[] {5}, FOUR_STEPS).get(0));
            assertFalse(java.util.Arrays.equals(a, b), "the checkpoint's UNet must be used");
        }
        try (java.util.stream.Stream<Path> left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith("alignloop-overlay-")
                    && Files.isSymbolicLink(p.resolve("unet"))), "overlay folders are deleted after loading");
        }
    }

    @Test
    void closeFreesAndForbidsFurtherUse() {
        DiffusionPolicy policy = DiffusionPolicy.load(folder, manager);
        policy.close();
        policy.close(); // idempotent
        assertTrue(policy.isClosed());
        assertThrows(IllegalStateException.class,
                () -> policy.generate(List.of("a red circle"), new long[] {1}, FOUR_STEPS));
    }

    @Test
    void listsEveryMissingComponent() throws IOException {
        Path broken = TinyPolicyFolder.write(tmp.resolve("broken"), SIZE, WORDS, 1);
        Files.delete(broken.resolve("text_encoder/model.safetensors"));
        Files.delete(broken.resolve("unet/config.json"));
        DiffusersFolderException e = assertThrows(DiffusersFolderException.class,
                () -> DiffusionPolicy.load(broken, manager));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("text_encoder/model.safetensors"), e.getMessage());
        assertTrue(e.getMessage().contains("unet/config.json"), e.getMessage());
    }

    @Test
    void rejectsIncompatibleComponentsBeforeReadingWeights() {
        Path latent = TinyPolicyFolder.write(tmp.resolve("latent"), SIZE, WORDS, 1);
        ObjectNode unet = ConfigJson.read(latent.resolve("unet/config.json"));
        unet.put("in_channels", 4).put("out_channels", 4).put("cross_attention_dim", 32);
        ConfigJson.write(latent.resolve("unet/config.json"), unet);
        PolicyException e = assertThrows(PolicyException.class, () -> DiffusionPolicy.load(latent, manager));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("pixel-space"), e.getMessage());
        assertTrue(e.getMessage().contains("cross_attention_dim"), e.getMessage());
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
