package dev.alignloop.diffusion.pretrained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffusersFolderTest {
    @TempDir
    Path dir;

    private static final Map<String, ComponentSpec> SD = Map.of(
            "unet", ComponentSpec.diffusers("UNet2DConditionModel"),
            "vae", ComponentSpec.diffusers("AutoencoderKL"),
            "text_encoder", ComponentSpec.transformers("CLIPTextModel"),
            "tokenizer", ComponentSpec.transformers("CLIPTokenizer"),
            "scheduler", ComponentSpec.diffusers("DDIMScheduler"),
            "safety_checker", ComponentSpec.ABSENT);

    private void touch(String... paths) throws Exception {
        for (String p : paths) {
            Path f = dir.resolve(p);
            Files.createDirectories(f.getParent());
            Files.writeString(f, "{}");
        }
    }

    private void completeSd() throws Exception {
        ModelIndex.of("StableDiffusionPipeline", SD).write(dir);
        touch("unet/config.json", "unet/diffusion_pytorch_model.safetensors", "vae/config.json",
                "vae/diffusion_pytorch_model.safetensors", "text_encoder/config.json", "text_encoder/model.safetensors",
                "tokenizer/vocab.json", "tokenizer/merges.txt", "scheduler/scheduler_config.json");
    }

    @Test
    void validFolderGivesComponentPaths() throws Exception {
        completeSd();
        DiffusersFolder f = DiffusersFolder.open(dir, "unet", "vae");
        assertEquals(dir.resolve("unet"), f.unetDir());
        assertEquals(dir.resolve("vae/diffusion_pytorch_model.safetensors"), f.weightsFile("vae"));
        assertEquals(dir.resolve("text_encoder/model.safetensors"), f.weightsFile("text_encoder"));
        assertEquals(dir.resolve("scheduler/scheduler_config.json"), f.configFile("scheduler"));
        assertEquals(ComponentLayout.TOKENIZER, f.layout("tokenizer"));
        assertFalse(f.has("safety_checker"));
        assertTrue(f.textEncoder2Dir().isEmpty());
        assertThrows(DiffusersFolderException.class, () -> f.dir("safety_checker"));
    }

    @Test
    void listsEveryProblemAtOnce() throws Exception {
        ModelIndex.of("StableDiffusionPipeline", SD).write(dir);
        touch("unet/config.json", "unet/diffusion_pytorch_model.bin", "text_encoder/model.safetensors",
                "tokenizer/vocab.json", "scheduler/scheduler_config.json");
        DiffusersFolderException e = assertThrows(DiffusersFolderException.class,
                () -> DiffusersFolder.open(dir, "unet", "text_encoder_2"));
        String m = e.getMessage();
        assertEquals(5, e.problems().size(), m);
        assertTrue(m.contains("required component 'text_encoder_2' is not listed"), m);
        assertTrue(m.contains("unet/diffusion_pytorch_model.safetensors: missing (found diffusion_pytorch_model.bin, a pickle"), m);
        assertTrue(m.contains("vae/: folder missing (expected config.json and diffusion_pytorch_model.safetensors)"), m);
        assertTrue(m.contains("text_encoder/config.json: missing"), m);
        assertTrue(m.contains("tokenizer/: no tokenizer files (expected vocab.json and merges.txt, or tokenizer.json)"), m);
    }

    @Test
    void missingModelIndexExplainsTheLayout() throws Exception {
        touch("config.json", "diffusion_pytorch_model.safetensors");
        DiffusersFolderException e = assertThrows(DiffusersFolderException.class, () -> DiffusersFolder.open(dir));
        assertTrue(e.getMessage().contains("model_index.json: missing (this looks like a single component folder"), e.getMessage());
        e = assertThrows(DiffusersFolderException.class, () -> DiffusersFolder.open(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("folder does not exist"), e.getMessage());
    }

    @Test
    void componentFolderCheck() throws Exception {
        touch("config.json");
        DiffusersFolderException e = assertThrows(DiffusersFolderException.class,
                () -> ComponentLayout.TRANSFORMERS_MODEL.requireValid(dir));
        assertTrue(e.getMessage().contains(dir + "/model.safetensors: missing"), e.getMessage());
    }

    @Test
    void parityPipelineFolderOpens() {
        Path policy = Path.of(System.getProperty("alignloop.parity.dir", "../parity"), "dpo-step-sd15-tiny", "policy");
        DiffusersFolder f = DiffusersFolder.open(policy, "unet", "scheduler");
        assertEquals("StableDiffusionPipeline", f.index().className());
        assertFalse(f.has("vae"));
    }
}
