package dev.alignloop.reward.corpus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alignloop.reward.Fixtures;
import dev.alignloop.reward.RewardManifest;
import dev.alignloop.reward.RewardManifest.InputNames;
import dev.alignloop.reward.RewardManifest.OutputSpec;
import dev.alignloop.reward.RewardManifest.TokenPadding;
import dev.alignloop.reward.RewardManifest.TokenizerSpec;
import dev.alignloop.reward.image.ClipImageConfig;
import dev.alignloop.text.WordLevelTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the reward bad-input corpus: tiny ONNX graphs ({@link Fixtures#pixelMeanGraph}: score =
 * scale · mean(pixels), so a NaN or infinite scale gives non-finite scores), a tokenizer, and one
 * manifest per case. Run only on purpose:
 *
 * <pre>./mvnw -o -q -pl reward test -Dtest=CorpusFiles -Dalignloop.corpus.write=src/test/resources/bad-input</pre>
 */
class CorpusFiles {
  static final int SIZE = 16;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Test
  @EnabledIfSystemProperty(named = "alignloop.corpus.write", matches = ".+")
  void write() throws IOException {
    Path dir = Path.of(System.getProperty("alignloop.corpus.write")).toAbsolutePath();
    Files.createDirectories(dir.resolve("models"));
    Path tokenizer = WordLevelTokenizer.builder().optBosToken("[BOS]").optEosToken("[EOS]").addWords(Fixtures.WORDS)
        .build().save(dir.resolve("tokenizer"));
    Path good = model(dir, "pixel-mean.onnx", Fixtures.pixelMeanGraph(SIZE, 1f, true));
    Path nan = model(dir, "nan-scale.onnx", Fixtures.pixelMeanGraph(SIZE, Float.NaN, true));
    Path inf = model(dir, "inf-scale.onnx", Fixtures.pixelMeanGraph(SIZE, Float.POSITIVE_INFINITY, true));
    Path garbage = model(dir, "not-onnx.onnx", "this is not an ONNX protobuf".getBytes(StandardCharsets.UTF_8));

    manifest(dir, "valid.json", good, InputNames.DEFAULT, OutputSpec.score("score"), SIZE, tokenizer);
    manifest(dir, "nan-scores.json", nan, InputNames.DEFAULT, OutputSpec.score("score"), SIZE, tokenizer);
    manifest(dir, "inf-scores.json", inf, InputNames.DEFAULT, OutputSpec.score("score"), SIZE, tokenizer);
    manifest(dir, "not-onnx.json", garbage, InputNames.DEFAULT, OutputSpec.score("score"), SIZE, tokenizer);
    manifest(dir, "wrong-input-names.json", good, new InputNames("ids", "mask", "pixels"), OutputSpec.score("score"),
        SIZE, tokenizer);
    manifest(dir, "mask-declared-but-absent.json", model(dir, "pixel-mean-no-mask.onnx",
        Fixtures.pixelMeanGraph(SIZE, 1f, false)), InputNames.DEFAULT, OutputSpec.score("score"), SIZE, tokenizer);
    manifest(dir, "wrong-output-name.json", good, InputNames.DEFAULT, OutputSpec.score("logits"), SIZE, tokenizer);
    manifest(dir, "wrong-image-size.json", good, InputNames.DEFAULT, OutputSpec.score("score"), 2 * SIZE, tokenizer);

    ObjectNode valid = (ObjectNode) JSON.readTree(dir.resolve("valid.json").toFile());
    edit(dir, "wrong-sha256.json", valid.deepCopy().put("sha256", "0".repeat(64)));
    ObjectNode noInputs = valid.deepCopy();
    noInputs.remove("model");
    edit(dir, "missing-model-key.json", noInputs);
    edit(dir, "unknown-key.json", valid.deepCopy().put("modle", "models/pixel-mean.onnx"));
    ObjectNode badMode = valid.deepCopy();
    ((ObjectNode) badMode.get("output")).put("mode", "probabilities");
    edit(dir, "unknown-output-mode.json", badMode);
    ObjectNode noTok = valid.deepCopy();
    ((ObjectNode) noTok.get("tokenizer")).put("path", "tokenizer/missing-tokenizer.json");
    edit(dir, "tokenizer-missing.json", noTok);
    ObjectNode missingModel = valid.deepCopy().put("model", "models/gone.onnx");
    edit(dir, "model-file-missing.json", missingModel);
    Files.writeString(dir.resolve("not-json.json"), "{\"name\": \"broken\", \"model\": ");
  }

  private static Path model(Path dir, String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve("models").resolve(name), bytes);
  }

  private static void manifest(Path dir, String name, Path model, InputNames inputs, OutputSpec output, int size,
      Path tokenizer) {
    new RewardManifest(dir.resolve(name), name.replace(".json", ""), model, RewardManifest.sha256(model), inputs,
        output, ClipImageConfig.clipDefaults(size), new TokenizerSpec(tokenizer, 8, TokenPadding.MAX_LENGTH), null)
        .write(dir.resolve(name));
  }

  private static void edit(Path dir, String name, ObjectNode json) throws IOException {
    JSON.writeValue(dir.resolve(name).toFile(), json);
  }
}
