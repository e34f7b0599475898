package dev.alignloop.trainer;

import dev.alignloop.common.kafka.KafkaSettings;
import dev.alignloop.diffusion.checkpoint.TrainingCheckpoint;
import dev.alignloop.servicekit.Workers;
import dev.alignloop.streaming.eos.ProcessorState;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link TrainingLoop} on its own thread, with metrics ({@link TrainerMetrics}) and health
 * ({@link Workers}: the loop's lifecycle mapped onto {@link ProcessorState} — STARTING while it
 * restores and catches up, RUNNING, STOPPING, STOPPED; FAILED and HALTED turn {@code /health} DOWN
 * so Kubernetes restarts the pod, which resumes from the last checkpoint).
 *
 * <p>Started by {@link TrainerStartup} unless {@code alignloop.trainer.enabled} is false. {@link
 * #close()} is graceful: the micro-batch in flight finishes, a final checkpoint is written if steps
 * were taken since the last (never a half step), then the clients close. {@link #halt()} simulates
 * a crash ({@code kill -9}): no further checkpoint, commit or publish, clients dropped.
 */
@Singleton
public class TrainerWorker {
  /** Service name on dead letters and logs. */
  public static final String SERVICE = "trainer-service";

  private static final Logger LOG = LoggerFactory.getLogger(TrainerWorker.class);
  private static final Duration JOIN = Duration.ofMinutes(2);

  private final TrainerConfig config;
  private final KafkaSettings kafka;
  private final DpoTrainer trainer;
  private final Workers workers;
  private final Clock clock;
  private final TrainerMetrics metrics;
  private final List<TrainerListener> listeners = new CopyOnWriteArrayList<>();
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private volatile ProcessorState state = ProcessorState.CREATED;
  private volatile boolean stopping;
  private volatile boolean halted;
  private volatile Throwable failure;
  private volatile TrainingLoop loop;
  private Thread thread; // guarded by this

  /** The bean. */
  public TrainerWorker(TrainerConfig config, KafkaSettings kafka, DpoTrainer trainer, MeterRegistry registry,
      Workers workers, Clock clock) {
    this.config = config;
    this.kafka = kafka;
    this.trainer = trainer;
    this.workers = workers;
    this.clock = clock;
    this.metrics = new TrainerMetrics(registry, config.inputTopic(), this::buffered);
    listeners.add(metrics);
  }

  /** Adds a listener; add it before {@link #start()} to see every event. */
  public void addListener(TrainerListener listener) {
    listeners.add(listener);
  }

  /** Starts the training thread (once). */
  public synchronized void start() {
    if (thread != null) {
      return;
    }
    workers.register("trainer", this::state);
    state = ProcessorState.STARTING;
    thread = new Thread(this::run, "alignloop-trainer");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    TrainingLoop l = new TrainingLoop(config, kafka, trainer, fanOut(), () -> halted, stopSignal, clock);
    loop = l;
    try {
      l.open();
      metrics.restored(trainer.step());
      if (!stopping && !halted) {
        state = ProcessorState.RUNNING;
      }
      boolean more = true;
      while (more && !stopping && !halted) {
        more = l.runOnce();
      }
      if (halted) {
        l.close(true);
        state = ProcessorState.HALTED;
        LOG.warn("trainer halted at step {} (simulated crash: no final checkpoint)", trainer.step());
        return;
      }
      state = ProcessorState.STOPPING;
      if (!more) {
        LOG.info("alignloop.trainer.max-train-steps {} reached", config.maxTrainSteps());
      }
      l.finish(config.checkpointOnShutdown() || !more);
      l.close(false);
      state = ProcessorState.STOPPED;
    } catch (Throwable e) {
      failure = e;
      LOG.error("trainer failed at step {}; restart resumes from the last checkpoint", trainer.step(), e);
      l.close(true);
      state = halted ? ProcessorState.HALTED : ProcessorState.FAILED;
    }
  }

  private TrainerListener fanOut() {
    return new TrainerListener() {
      @Override
      public void onResumed(String version, long step, long pairsSeen) {
        listeners.forEach(l -> l.onResumed(version, step, pairsSeen));
      }

      @Override
      public void onCheckpointWritten(TrainingCheckpoint checkpoint) {
        listeners.forEach(l -> l.onCheckpointWritten(checkpoint));
      }

      @Override
      public void onStep(StepReport step) {
        listeners.forEach(l -> l.onStep(step));
      }

      @Override
      public void onCheckpoint(TrainingCheckpoint checkpoint, TrainedLabels labels, boolean published) {
        listeners.forEach(l -> l.onCheckpoint(checkpoint, labels, published));
      }

      @Override
      public void onDeadLetter(String code, String reason, String coordinates) {
        listeners.forEach(l -> l.onDeadLetter(code, reason, coordinates));
      }
    };
  }

  /** The loop's lifecycle as the service kit's health indicator reads it. */
  public ProcessorState state() {
    return state;
  }

  /** Why the loop failed, once {@link #state()} is FAILED. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /** Labels fetched from Kafka but not yet handed to training. */
  public int buffered() {
    TrainingLoop l = loop;
    return l == null ? 0 : l.buffered();
  }

  /** The trainer this worker drives. */
  public DpoTrainer trainer() {
    return trainer;
  }

  /**
   * Simulates a crash: from now on the loop writes no checkpoint, commits nothing and publishes
   * nothing; unsent records are dropped. Callable from any thread, including a listener on the
   * training thread (then it returns at once; otherwise it waits for the thread to end).
   */
  public void halt() {
    halted = true;
    stopSignal.countDown();
    wakeUpAndJoin();
  }

  /** Stops gracefully (see the class doc) and waits for the training thread. */
  @PreDestroy
  public void close() {
    if (state.isTerminal() || state == ProcessorState.CREATED) {
      return;
    }
    LOG.info("stopping trainer at step {}", trainer.step());
    stopping = true;
    stopSignal.countDown();
    wakeUpAndJoin();
  }

  private void wakeUpAndJoin() {
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t == null || t == Thread.currentThread()) {
      return;
    }
    TrainingLoop l = loop;
    if (l != null) {
      l.wakeup();
    }
    try {
      t.join(JOIN.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (t.isAlive()) {
      LOG.warn("training thread still running after {}", JOIN);
    }
  }
}
