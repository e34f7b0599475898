package dev.alignloop.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.reward.RewardManifest.OutputMode;
import dev.alignloop.reward.RewardManifest.TokenPadding;
import dev.alignloop.reward.image.ClipImageConfig;
import dev.alignloop.reward.image.Resample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RewardManifestTest {

    private static final String SHA = "ab".repeat(32);

    private static Path write(Path dir, String json) throws IOException {
        return Files.writeString(dir.resolve("reward.json"), json.replace('\'', '"'));
    }

    @Test
    void pickScoreStyleManifestWithPreprocessorConfig(@TempDir Path dir) throws IOException {
        Files.copy(Path.of(System.getProperty("alignloop.parity.dir", "../parity"), "clip-preprocess-224",
                "preprocessor_config.json"), dir.resolve("preprocessor_config.json"));
        Path file = write(dir, "{'name': 'pickscore', 'model': 'model.onnx', 'sha256': '" + SHA.toUpperCase() + "',"
                + "'output': {'mode': 'embeddings', 'image': 'image_embeds', 'text': 'text_embeds', 'logit_scale': 100.0},"
                + "'image': 'preprocessor_config.json', 'tokenizer': {'path': 'tokenizer'},"
                + "'stats': {'mean': 21.5, 'std': 1.25}}");
        RewardManifest m = RewardManifest.load(file);
        assertEquals("pickscore", m.name());
        assertEquals(dir.resolve("model.onnx").toAbsolutePath(), m.model());
        assertEquals(SHA, m.sha256());
        assertEquals(RewardManifest.InputNames.DEFAULT, m.inputs());
        assertEquals(OutputMode.EMBEDDINGS, m.output().mode());
        assertEquals(100.0, m.output().logitScale());
        assertEquals(ClipImageConfig.clipDefaults(224), m.image());
        assertEquals(dir.resolve("tokenizer").toAbsolutePath(), m.tokenizer().path());
        assertEquals(77, m.tokenizer().maxLength());
        assertEquals(TokenPadding.MAX_LENGTH, m.tokenizer().padding());
        assertEquals(1.25, m.stats().std());
    }

    @Test
    void inlineImageBlockAndRoundTrip(@TempDir Path dir) throws IOException {
        Path file = write(dir, "{'name': 'hps', 'model': 'm.onnx', 'sha256': '" + SHA + "',"
                + "'inputs': {'attention_mask': null}, 'output': 'score',"
                + "'image': {'size': {'shortest_edge': 64}, 'crop_size': {'height': 64, 'width': 64}, 'resample': 2},"
                + "'tokenizer': {'max_length': 12, 'padding': 'longest'}}");
        RewardManifest m = RewardManifest.load(file);
        assertNull(m.inputs().attentionMask());
        assertEquals("score", m.output().name());
        assertEquals(Resample.BILINEAR, m.image().resample());
        assertEquals(64, m.image().cropHeight());
        assertNull(m.tokenizer().path());
        assertNull(m.stats());

        Path copy = dir.resolve("sub").resolve("copy.json");
        Files.createDirectories(copy.getParent());
        m.write(copy);
        RewardManifest back = RewardManifest.load(copy);
        assertEquals(m.model(), back.model());
        assertEquals(m.image(), back.image());
        assertEquals(m.inputs(), back.inputs());
        assertEquals(m.output(), back.output());
        assertEquals(m.tokenizer(), back.tokenizer());
    }

    @Test
    void errorsNameTheFileAndKey(@TempDir Path dir) throws IOException {
        assertError(dir, "{'name': 'x', 'model': 'm.onnx', 'sha256': '" + SHA + "', 'output': 'score', 'image': {}, 'tokenizr': {}}",
                "unknown key 'tokenizr'");
        assertError(dir, "{'name': 'x', 'model': 'm.onnx', 'output': 'score', 'image': {}}", "sha256 is required");
        assertError(dir, "{'name': 'x', 'model': 'm.onnx', 'sha256': 'abc', 'output': 'score', 'image': {}}",
                "sha256 must be 64 lowercase hex digits");
        assertError(dir, "{'name': 'x', 'model': 'm.onnx', 'sha256': '" + SHA + "', 'output': {'mode': 'embeddings'}, 'image': {}}",
                "output.logit_scale is required");
        assertError(dir, "{'name': 'x', 'model': 'm.onnx', 'sha256': '" + SHA + "', 'output': {'mode': 'probs'}, 'image': {}}",
                "output.mode must be score, embeddings or logits_per_image");
        assertError(dir, "{'name': 'x', 'model': 'm.onnx', 'sha256': '" + SHA + "', 'output': 'score', 'image': {'crop': 3}}",
                "image.unknown key 'crop'");
        assertError(dir, "{'name': 'x', 'model': 'm.onnx', 'sha256': '" + SHA + "', 'output': 'score', 'image': {'image_std': [1, 0, 1]}}",
                "image_std[1] must be finite and > 0");
        assertError(dir, "{'name': 'x', 'model': 'm.onnx', 'sha256': '" + SHA + "', 'output': 'score', 'image': {'do_center_crop': false}}",
                "batching needs do_center_crop true");
        assertError(dir, "{'name': 'x', 'model': 'm.onnx', 'sha256': '" + SHA + "', 'output': 'score', 'image': {},"
                + "'tokenizer': {'padding': 'right'}}", "tokenizer.padding must be max_length or longest");
        assertError(dir, "{'name': 'x', 'model': 'm.onnx', 'sha256': '" + SHA + "', 'output': 'score', 'image': {'resample': 0}}",
                "unsupported PIL resample code 0");
        assertError(dir, "{'name': 'x', 'model': 'm.onnx', 'sha256': '" + SHA + "', 'output': 'score', 'image': 'missing.json'}",
                "missing.json does not exist");
    }

    private static void assertError(Path dir, String json, String expected) throws IOException {
        Path file = write(dir, json);
        RewardModelException e = assertThrows(RewardModelException.class, () -> RewardManifest.load(file));
        assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void missingModelFileIsNamed(@TempDir Path dir) throws IOException {
        RewardManifest m = RewardManifest.load(write(dir, "{'name': 'x', 'model': 'gone.onnx', 'sha256': '" + SHA
                + "', 'output': 'score', 'image': {}}"));
        RewardModelException e = assertThrows(RewardModelException.class, m::verifyChecksum);
        assertTrue(e.getMessage().contains("gone.onnx"), e.getMessage());
    }
}
