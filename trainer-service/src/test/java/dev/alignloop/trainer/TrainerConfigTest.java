package dev.alignloop.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.diffusion.dpo.TrainMethod;
import dev.alignloop.diffusion.optim.LrSchedule;
import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Binding from application.yml and the environment, and validation that names the key. */
class TrainerConfigTest {

  @Test
  void applicationYmlBindsEveryKeyAndTheDemoValues() {
    try (ApplicationContext ctx = ApplicationContext.run(Map.of("micronaut.server.port", -1,
        "alignloop.trainer.enabled", false))) {
      TrainerConfig c = ctx.getBean(TrainerConfig.class);
      assertEquals(TrainMethod.DPO, c.trainMethod());
      assertEquals(1000.0, c.beta());
      assertEquals(1e-4, c.effectiveLearningRate());
      assertEquals(LrSchedule.constantWithWarmup(20), c.schedule());
      assertEquals(TrainerConfig.OptimizerKind.ADAMW, c.optimizerKind());
      assertEquals("models/shapes-base", c.modelDir());
      assertEquals(c.modelPath(), c.referencePath());
      assertEquals(".alignloop/checkpoints", c.checkpointDir());
      assertEquals("alignloop.preferences", c.inputTopic());
      assertEquals(1 << 20, c.fetchMaxBytes());
    }
  }

  @Test
  void recordDefaultsAreThePaperRecipe() {
    TrainerConfig c = TrainerConfig.defaults("m", "c");
    assertEquals(5000.0, c.beta());
    assertEquals(8e-8, c.effectiveLearningRate(), 1e-20); // 1e-8 x 8 pairs (scale_lr)
    assertEquals(LrSchedule.constantWithWarmup(500), c.schedule());
  }

  @Test
  void invalidValuesNameTheirKeys() {
    assertMessage(Map.of("alignloop.trainer.batch-size", 0), "alignloop.trainer.batch-size");
    assertMessage(Map.of("alignloop.trainer.method", "ppo"), "alignloop.trainer.method must be one of dpo, sft");
    assertMessage(Map.of("alignloop.trainer.lr-scheduler", "cosine"), "alignloop.trainer.max-train-steps");
    assertMessage(Map.of("alignloop.trainer.lr-scheduler", "constant"), "alignloop.trainer.lr-warmup-steps");
    assertMessage(Map.of("alignloop.trainer.beta", -1), "alignloop.trainer.beta");
    assertMessage(Map.of("alignloop.trainer.optimizer", "sgd"), "alignloop.trainer.optimizer");
    assertMessage(Map.of("alignloop.trainer.input-topic", "a b"), "alignloop.trainer.input-topic");
  }

  @Test
  void aMissingModelFolderNamesTheKeyAndThePath(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
    TrainerConfig c = TrainerConfig.defaults(tmp.resolve("no-model").toString(), tmp.resolve("ckpt").toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainerModels.load(c));
    assertTrue(e.getMessage().contains("alignloop.trainer.model-dir") && e.getMessage().contains("no-model"),
        e.getMessage());
  }

  private static void assertMessage(Map<String, Object> props, String expected) {
    Map<String, Object> p = new java.util.HashMap<>(props);
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
