package dev.alignloop.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.alignloop.common.blob.BlobStore;
import dev.alignloop.diffusion.checkpoint.CheckpointStore;
import dev.alignloop.diffusion.checkpoint.CheckpointVerifier;
import dev.alignloop.diffusion.checkpoint.TopicOffset;
import dev.alignloop.diffusion.checkpoint.TrainingCheckpoint;
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

/** The training logic alone (no Kafka): the first DPO step, a bit-identical resume, a latent model. */
class DpoTrainerTest {

  @Test
  void firstStepIsLn2AndAResumedRunTakesTheSameNextStep(@TempDir Path tmp) {
    Path model = TinyModel.write(tmp.resolve("model"), 11);
    Map<String, Object> props = props(model, tmp);
    CheckpointStore store = new CheckpointStore(tmp.resolve("ckpt"));
    Map<String, float[]> afterStep3;
    StepReport step3;
    List<List<InputRecord<PreferenceLabel>>> batches = new ArrayList<>();
    try (ApplicationContext ctx = ApplicationContext.run(props)) {
      DpoTrainer a = ctx.getBean(DpoTrainer.class);
      List<PreferenceLabel> labels = TrainerFixture.pairLabels(ctx.getBean(BlobStore.class), 6);
      for (int i = 0; i < 6; i += 2) {
        batches.add(List.of(TrainerFixture.labelRecord(labels.get(i), i), TrainerFixture.labelRecord(labels.get(i + 1), i + 1)));
      }
      StepReport first = TrainerFixture.trainStep(a, batches.get(0));
      // policy == reference at the first step: inside = 0 for every pair, loss = ln 2, accuracy 0
      assertEquals(Math.log(2), first.metric("loss"), 1e-5);
      assertEquals(0.0, first.metric("implicit_acc"));
      assertTrue(first.gradNorm() > 0 && Double.isFinite(first.gradNorm()), "grad norm " + first.gradNorm());
      TrainerFixture.trainStep(a, batches.get(1));
      TrainingCheckpoint c = a.writeCheckpoint(store, "v2", null,
          List.of(new TopicOffset("labels", 0, 4)), Map.of("loss", 0.5), null);
      assertTrue(CheckpointVerifier.verify(c.dir()).ok());
      step3 = TrainerFixture.trainStep(a, batches.get(2));
      afterStep3 = weights(a);
    }
    try (ApplicationContext ctx = ApplicationContext.run(props)) {
      DpoTrainer b = ctx.getBean(DpoTrainer.class);
      b.restore(store.open("v2"));
      assertEquals(2, b.step());
      assertEquals(4, b.pairsSeen());
      StepReport again = TrainerFixture.trainStep(b, batches.get(2));
      assertEquals(3, again.step());
      assertEquals(step3.metrics(), withoutTime(again.metrics(), step3.metrics().get("step_time")));
      Map<String, float[]> resumed = weights(b);
      assertEquals(afterStep3.keySet(), resumed.keySet());
      afterStep3.forEach((k, v) -> assertArrayEquals(v, resumed.get(k), k));
    }
  }

  @Test
  void extraPassesTakeMoreStepsButReportTheLabelsOnce(@TempDir Path tmp) {
    Path model = TinyModel.write(tmp.resolve("model"), 11);
    Map<String, Object> props = props(model, tmp);
    props.put("alignloop.trainer.passes-per-batch", 3);
    try (ApplicationContext ctx = ApplicationContext.run(props)) {
      DpoTrainer t = ctx.getBean(DpoTrainer.class);
      List<PreferenceLabel> labels = TrainerFixture.pairLabels(ctx.getBean(BlobStore.class), 2);
      List<InputRecord<PreferenceLabel>> batch = List.of(TrainerFixture.labelRecord(labels.get(0), 0), TrainerFixture.labelRecord(labels.get(1), 1));
      Map<String, float[]> before = weights(t);
      DpoTrainer.BatchOutcome out = t.trainBatch(batch);
      StepReport last = out.trained().step().orElseThrow();
      assertEquals(3, t.step(), "one optimizer step per pass");
      assertEquals(3, last.step());
      assertEquals(2, t.pairsSeen(), "the labels count once");
      assertEquals(batch, last.labels(), "the reported step carries the labels");
      assertEquals(batch, out.trained().labels());
      // after two updates the policy differs from the reference: the third pass is not at ln 2
      assertTrue(Math.abs(last.metric("loss") - Math.log(2)) > 1e-6, last.metrics().toString());
      Map<String, float[]> after = weights(t);
      assertTrue(before.keySet().stream().anyMatch(k -> !java.util.Arrays.equals(before.get(k), after.get(k))));
    }
  }

  @Test
  void latentModelsTrainOnVaeLatents(@TempDir Path tmp) {
    Path model = TinyModel.write(tmp.resolve("latent-model"), 5, true);
    Map<String, Object> props = props(model, tmp);
    props.put("alignloop.trainer.method", "sft");
    try (ApplicationContext ctx = ApplicationContext.run(props)) {
      DpoTrainer t = ctx.getBean(DpoTrainer.class);
      assertEquals(TinyModel.SIZE, t.models().imageSize());
      assertEquals(TinyModel.SIZE / 2, t.models().latentSize());
      List<PreferenceLabel> labels = TrainerFixture.pairLabels(ctx.getBean(BlobStore.class), 2);
      StepReport s = TrainerFixture.trainStep(t, List.of(TrainerFixture.labelRecord(labels.get(0), 0), TrainerFixture.labelRecord(labels.get(1), 1)));
      assertTrue(Double.isFinite(s.metric("loss")) && s.metric("loss") > 0, s.metrics().toString());
      assertTrue(s.gradNorm() > 0 && Double.isFinite(s.gradNorm()), "grad norm " + s.gradNorm());
    }
  }

  private static Map<String, Object> props(Path model, Path tmp) {
    Map<String, Object> props = new HashMap<>();
    props.put("alignloop.trainer.model-dir", model.toString());
    props.put("alignloop.trainer.checkpoint-dir", tmp.resolve("ckpt").toString());
    props.put("alignloop.blob.uri", tmp.resolve("blobs").toUri().toString());
    props.put("alignloop.trainer.batch-size", 2);
    props.put("alignloop.trainer.learning-rate", 1e-3);
    props.put("alignloop.trainer.lr-warmup-steps", 0);
    props.put("alignloop.trainer.djl-threads", 1); // tiny model on shared cores: more threads only contend
    props.put("alignloop.trainer.enabled", false);
    props.put("micronaut.server.port", -1);
    return props;
  }

  private static Map<String, Double> withoutTime(Map<String, Double> m, Double time) {
    Map<String, Double> out = new LinkedHashMap<>(m);
    out.put("step_time", time);
    return out;
  }

  private static Map<String, float[]> weights(DpoTrainer t) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : t.models().policy().stateDict().entrySet()) {
      out.put(e.getKey(), e.getValue().toFloatArray());
    }
    return out;
  }

}
