package dev.alignloop.trainer;

import dev.alignloop.diffusion.checkpoint.TrainingCheckpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The trainer's Micrometer meters (Prometheus names): gauges {@code alignloop_trainer_loss},
 * {@code alignloop_trainer_implicit_accuracy}, {@code alignloop_trainer_mse{model=policy|ref,
 * side=w|l}}, {@code alignloop_trainer_lr}, {@code alignloop_trainer_step}, {@code
 * alignloop_trainer_grad_norm}, {@code alignloop_trainer_buffered_records}; timer {@code
 * alignloop_trainer_step_seconds}; counters {@code alignloop_trainer_checkpoints_total}, {@code
 * alignloop_trainer_pairs_total} and {@code alignloop_trainer_skipped_steps_total} (non-finite
 * gradients). Dead letters count in {@code alignloop_dlq_total{service, topic, reason}}, the meter
 * the other services' processors feed too. Gauges are NaN until the first step.
 */
final class TrainerMetrics implements TrainerListener {
  private final MeterRegistry registry;
  private final String topic;
  private final Map<String, Double> values = new ConcurrentHashMap<>();
  private final Timer stepTime;
  private final Counter checkpoints;
  private final Counter pairs;
  private final Counter skipped;

  TrainerMetrics(MeterRegistry registry, String topic, Supplier<Number> buffered) {
    this.registry = registry;
    this.topic = topic;
    gauge("alignloop.trainer.loss", "DPO (or SFT) loss of the last optimizer step", "loss");
    gauge("alignloop.trainer.implicit.accuracy", "Fraction of the last step's pairs whose implicit reward prefers the winner",
        "implicit_acc");
    mse("policy", "w", "model_mse_w");
    mse("policy", "l", "model_mse_l");
    mse("ref", "w", "ref_mse_w");
    mse("ref", "l", "ref_mse_l");
    gauge("alignloop.trainer.lr", "Learning rate of the last optimizer step", "lr");
    gauge("alignloop.trainer.step", "Optimizer steps taken", "step");
    gauge("alignloop.trainer.grad.norm", "Gradient L2 norm of the last step, before clipping", "grad_norm");
    Gauge.builder("alignloop.trainer.buffered.records", buffered).description(
        "Labels fetched from Kafka but not yet handed to training (bounded by max-poll-records + batch-size)")
        .register(registry);
    this.stepTime = Timer.builder("alignloop.trainer.step.seconds").description("Wall time of one optimizer step")
        .register(registry);
    this.checkpoints = Counter.builder("alignloop.trainer.checkpoints").description("Durable checkpoints written")
        .register(registry);
    this.pairs = Counter.builder("alignloop.trainer.pairs").description("Pairs applied by optimizer steps")
        .register(registry);
    this.skipped = Counter.builder("alignloop.trainer.skipped.steps")
        .description("Optimizer steps not applied because the gradients were not finite").register(registry);
  }

  private void gauge(String name, String doc, String key) {
    values.put(key, Double.NaN);
    Gauge.builder(name, values, v -> v.getOrDefault(key, Double.NaN)).description(doc).register(registry);
  }

  private void mse(String model, String side, String key) {
    values.put(key, Double.NaN);
    Gauge.builder("alignloop.trainer.mse", values, v -> v.getOrDefault(key, Double.NaN))
        .description("Mean denoising MSE of the last step by model (policy, frozen ref) and side (winner w, loser l)")
        .tags("model", model, "side", side).register(registry);
  }

  @Override
  public void onStep(StepReport step) {
    step.metrics().forEach((k, v) -> values.computeIfPresent(k, (key, old) -> v));
    values.put("step", (double) step.step());
    stepTime.record(Duration.ofNanos((long) (step.seconds() * 1e9)));
    pairs.increment(step.labels().size());
    if (!step.applied()) {
      skipped.increment();
    }
  }

  @Override
  public void onCheckpoint(TrainingCheckpoint checkpoint, TrainedLabels labels, boolean published) {
    checkpoints.increment();
  }

  @Override
  public void onDeadLetter(String code, String reason, String coordinates) {
    Counter.builder("alignloop.dlq").description("Records routed to the dead-letter topic, by reason category")
        .tags("service", TrainerWorker.SERVICE, "topic", topic, "reason", code).register(registry).increment();
  }

  /** Sets the step gauge after a restore, before the first new step. */
  void restored(long step) {
    values.put("step", (double) step);
  }
}
