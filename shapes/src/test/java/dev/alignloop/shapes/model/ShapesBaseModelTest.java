package dev.alignloop.shapes.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.pretrained.DiffusersFolderException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShapesBaseModelTest {
    private static final ShapesSampler.Options FAST = ShapesSampler.Options.defaults().withSteps(2);

    @Test
    void savedFolderLoadsBackToTheSameSamples(@TempDir Path dir) {
        try (NDManager m = NDManager.newBaseManager()) {
            ShapesBaseModel model = ShapesBaseModel.random(7, m);
            model.save(dir);
            for (String f : List.of("model_index.json", "unet/config.json", "unet/diffusion_pytorch_model.safetensors",
                    "text_encoder/config.json", "text_encoder/model.safetensors", "tokenizer/tokenizer.json",
                    "scheduler/scheduler_config.json")) {
                assertTrue(Files.isRegularFile(dir.resolve(f)), f);
            }
            ShapesBaseModel back = ShapesBaseModel.load(dir, m);
            List<String> prompts = List.of("a red square above a blue circle", "");
            long[] seeds = {1, 2};
            float[] a = new ShapesSampler(model).sample(prompts, seeds, FAST, m).toFloatArray();
            float[] b = new ShapesSampler(back).sample(prompts, seeds, FAST, m).toFloatArray();
            assertArrayEquals(a, b);
            for (float v : a) {
                assertTrue(v >= -1 && v <= 1);
            }
        }
    }

    @Test
    void anImageDependsOnItsSeedAndPromptNotOnItsBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            ShapesSampler sampler = new ShapesSampler(ShapesBaseModel.random(3, m));
            NDArray both = sampler.sample(List.of("two green circles", "a small purple triangle"), new long[] {5, 6}, FAST, m);
            NDArray alone = sampler.sample(List.of("a small purple triangle"), new long[] {6}, FAST, m);
            float[] second = both.get("1:2").toFloatArray();
            float[] single = alone.toFloatArray();
            assertEquals(second.length, single.length);
            for (int i = 0; i < single.length; i++) {
                assertEquals(single[i], second[i], 1e-5, "pixel " + i);
            }
        }
    }

    @Test
    void loadingAnIncompleteFolderNamesWhatIsMissing(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            ShapesBaseModel.random(1, m).save(dir);
            Files.delete(dir.resolve("text_encoder/model.safetensors"));
            DiffusersFolderException e = assertThrows(DiffusersFolderException.class, () -> ShapesBaseModel.load(dir, m));
            assertTrue(e.getMessage().contains("text_encoder/model.safetensors"), e.getMessage());
        }
    }
}
