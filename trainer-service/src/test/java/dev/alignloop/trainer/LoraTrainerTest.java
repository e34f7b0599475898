package dev.alignloop.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.common.blob.BlobStore;
import dev.alignloop.diffusion.checkpoint.CheckpointException;
import dev.alignloop.diffusion.checkpoint.CheckpointStore;
import dev.alignloop.diffusion.checkpoint.CheckpointVerifier;
import dev.alignloop.diffusion.checkpoint.TopicOffset;
import dev.alignloop.diffusion.checkpoint.TrainingCheckpoint;
import dev.alignloop.diffusion.lora.LoraConfig;
import dev.alignloop.diffusion.lora.LoraWeights;
import dev.alignloop.diffusion.nn.Parameter;
import dev.alignloop.diffusion.safetensors.SafeTensors;
import dev.alignloop.diffusion.unet.UNet2DConditionModel;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.streaming.InputRecord;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code alignloop.trainer.lora.*}: binding and validation, LoRA-only training, merged checkpoints, resume. */
class LoraTrainerTest {

  @Test
  void loraKeysBindAndDefaultToOff() {
    try (ApplicationContext ctx = ApplicationContext.run(Map.of("micronaut.server.port", -1,
        "alignloop.trainer.enabled", false))) {
      TrainerConfig c = ctx.getBean(TrainerConfig.class);
      assertTrue(c.loraConfig().isEmpty(), "application.yml: LoRA off");
      assertEquals(LoraConfig.ATTENTION_TARGETS, c.lora().targets());
    }
    assertTrue(TrainerConfig.defaults("m", "c").loraConfig().isEmpty());
    try (ApplicationContext ctx = ApplicationContext.run(Map.of("micronaut.server.port", -1,
        "alignloop.trainer.enabled", false, "alignloop.trainer.lora.rank", 8, "alignloop.trainer.lora.alpha", 16,
        "alignloop.trainer.lora.targets", "to_q,to_v"))) {
      assertEquals(new LoraConfig(8, 16, List.of("to_q", "to_v"), 0),
          ctx.getBean(TrainerConfig.class).loraConfig().orElseThrow());
    }
    try (ApplicationContext ctx = ApplicationContext.run(Map.of("micronaut.server.port", -1,
        "alignloop.trainer.enabled", false, "alignloop.trainer.lora.rank", 4))) {
      assertEquals(LoraConfig.attention(4, 4), ctx.getBean(TrainerConfig.class).loraConfig().orElseThrow(),
          "alpha 0 means alpha = rank");
    }
  }

  @Test
  void invalidLoraValuesNameTheirKeys() {
    assertMessage(Map.of("alignloop.trainer.lora.rank", -1), "alignloop.trainer.lora.rank must be >= 0");
    assertMessage(Map.of("alignloop.trainer.lora.rank", 4, "alignloop.trainer.lora.alpha", -2),
        "alignloop.trainer.lora.alpha");
    assertMessage(Map.of("alignloop.trainer.lora.rank", 4, "alignloop.trainer.lora.targets", "to_q,to_x"),
        "alignloop.trainer.lora.targets must list attention projections among to_q, to_k, to_v, to_out.0, got 'to_x'");
    assertMessage(Map.of("alignloop.trainer.lora.rank", 4, "alignloop.trainer.lora.targets", "to_q,to_q"),
        "alignloop.trainer.lora.targets");
  }

  @Test
  void trainsOnlyTheAdaptersAndCheckpointsTheMergedUnetPlusTheLoraFile(@TempDir Path tmp) {
    Path model = TinyModel.write(tmp.resolve("model"), 11);
    Map<String, Object> props = props(model, tmp);
    CheckpointStore store = new CheckpointStore(tmp.resolve("ckpt"));
    List<List<InputRecord<PreferenceLabel>>> batches = new ArrayList<>();
    Map<String, float[]> loraAfterStep3;
    StepReport step3;
    try (ApplicationContext ctx = ApplicationContext.run(props)) {
      DpoTrainer a = ctx.getBean(DpoTrainer.class);
      TrainerModels models = a.models();
      assertEquals(32, models.lora().layers().size());
      assertTrue(models.policy().namedParameters().values().stream().noneMatch(Parameter::requiresGrad));
      Map<String, float[]> base = weights(models.policy().namedParameters());
      List<PreferenceLabel> labels = TrainerFixture.pairLabels(ctx.getBean(BlobStore.class), 6);
      for (int i = 0; i < 6; i += 2) {
        batches.add(List.of(TrainerFixture.labelRecord(labels.get(i), i), TrainerFixture.labelRecord(labels.get(i + 1), i + 1)));
      }
      StepReport first = TrainerFixture.trainStep(a, batches.get(0));
      assertEquals(Math.log(2), first.metric("loss"), 1e-5); // B = 0: policy == reference
      assertTrue(first.gradNorm() > 0 && Double.isFinite(first.gradNorm()), "grad norm " + first.gradNorm());
      TrainerFixture.trainStep(a, batches.get(1));
      Map<String, float[]> baseNow = weights(models.policy().namedParameters());
      base.forEach((k, v) -> assertArrayEquals(v, baseNow.get(k), "base weight moved: " + k));

      TrainingCheckpoint c = a.writeCheckpoint(store, "v2", null, List.of(new TopicOffset("labels", 0, 4)),
          Map.of("loss", 0.5), null);
      assertTrue(CheckpointVerifier.verify(c.dir()).ok());
      try (SafeTensors st = SafeTensors.open(c.dir().resolve(LoraWeights.FILE_NAME))) {
        assertTrue(st.contains("unet.down_blocks.1.attentions.0.transformer_blocks.0.attn1.to_q.lora_A.weight"));
        assertEquals(64, st.tensors().size());
      }
      try (NDManager m = NDManager.newBaseManager()) {
        // the checkpoint's unet/ is a plain UNet: base + merged adapters, computing what the LoRA policy computes
        UNet2DConditionModel merged = UNet2DConditionModel.fromPretrained(c.dir().resolve("unet"), m);
        NDArray x = m.randomUniform(-1, 1, new Shape(2, 3, TinyModel.SIZE, TinyModel.SIZE));
        NDArray text = m.randomNormal(new Shape(2, TinyModel.MAX_TOKENS, TinyModel.HIDDEN));
        NDArray t = m.create(new long[] {3, 600});
        float[] viaLora = models.policy().forward(x, t, text, null).toFloatArray();
        float[] viaMerged = merged.forward(x, t, text, null).toFloatArray();
        double d = 0;
        for (int i = 0; i < viaLora.length; i++) {
          d = Math.max(d, Math.abs(viaLora[i] - viaMerged[i]));
        }
        assertTrue(d <= 1e-5, "merged checkpoint vs LoRA policy: " + d);
        String q = "down_blocks.1.attentions.0.transformer_blocks.0.attn1.to_q.weight";
        assertFalse(java.util.Arrays.equals(base.get(q), merged.stateDict().get(q).toFloatArray()), "adapters merged");
      }
      step3 = TrainerFixture.trainStep(a, batches.get(2));
      loraAfterStep3 = weights(models.lora().namedParameters());
    }
    try (ApplicationContext ctx = ApplicationContext.run(props)) {
      DpoTrainer b = ctx.getBean(DpoTrainer.class);
      b.restore(store.open("v2"));
      assertEquals(2, b.step());
      StepReport again = TrainerFixture.trainStep(b, batches.get(2));
      Map<String, Double> expected = new LinkedHashMap<>(step3.metrics());
      expected.put("step_time", again.metrics().get("step_time"));
      assertEquals(expected, again.metrics());
      Map<String, float[]> resumed = weights(b.models().lora().namedParameters());
      loraAfterStep3.forEach((k, v) -> assertArrayEquals(v, resumed.get(k), k));
    }
    props.put("alignloop.trainer.lora.rank", 0);
    try (ApplicationContext ctx = ApplicationContext.run(props)) {
      DpoTrainer full = ctx.getBean(DpoTrainer.class);
      assertNull(full.models().lora());
      CheckpointException e = assertThrows(CheckpointException.class, () -> full.restore(store.open("v2")));
      assertTrue(e.getMessage().contains("alignloop.trainer.lora.rank"), e.getMessage());
    }
  }

  private static Map<String, Object> props(Path model, Path tmp) {
    Map<String, Object> props = new HashMap<>();
    props.put("alignloop.trainer.model-dir", model.toString());
    props.put("alignloop.trainer.checkpoint-dir", tmp.resolve("ckpt").toString());
    props.put("alignloop.blob.uri", tmp.resolve("blobs").toUri().toString());
    props.put("alignloop.trainer.batch-size", 2);
    props.put("alignloop.trainer.learning-rate", 1e-2);
    props.put("alignloop.trainer.lr-warmup-steps", 0);
    props.put("alignloop.trainer.djl-threads", 1);
    props.put("alignloop.trainer.enabled", false);
    props.put("alignloop.trainer.lora.rank", 4);
    props.put("micronaut.server.port", -1);
    return props;
  }

  private static Map<String, float[]> weights(Map<String, Parameter> params) {
    Map<String, float[]> out = new LinkedHashMap<>();
    params.forEach((k, p) -> out.put(k, p.array().toFloatArray()));
    return out;
  }

  private static void assertMessage(Map<String, Object> props, String expected) {
    Map<String, Object> p = new HashMap<>(props);
    p.put("micronaut.server.port", -1);
    p.put("alignloop.trainer.enabled", false);
    Throwable e = assertThrows(RuntimeException.class, () -> {
      try (ApplicationContext ctx = ApplicationContext.run(p)) {
        ctx.getBean(TrainerConfig.class);
      }
    });
    while (e.getCause() != null && !(e instanceof IllegalArgumentException)) {
      e = e.getCause();
    }
    assertTrue(String.valueOf(e.getMessage()).contains(expected), e.getMessage());
  }
}
