package dev.alignloop.scorer;

import dev.alignloop.common.kafka.KafkaSettings;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.servicekit.ProcessorMetrics;
import dev.alignloop.servicekit.Workers;
import dev.alignloop.streaming.eos.BatchHandler;
import dev.alignloop.streaming.eos.BatchReport;
import dev.alignloop.streaming.eos.DeadLetterEvent;
import dev.alignloop.streaming.eos.ExactlyOnceProcessor;
import dev.alignloop.streaming.eos.ProcessorListener;
import dev.alignloop.streaming.eos.ProcessorState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the scorer: an {@link ExactlyOnceProcessor} from {@code alignloop.pairs} to {@code
 * alignloop.preferences} whose handler is {@link PairLabeler}, with metrics ({@link
 * ProcessorMetrics} + {@link ScorerMetrics}) and health ({@link Workers}: DOWN once the loop is
 * fenced or failed). Started on {@link StartupEvent}, closed gracefully on shutdown: the batch in
 * flight commits, then the clients close. Absent when {@code alignloop.scorer.enabled} is false
 * (then nothing loads the model until someone asks for {@link PairLabeler}).
 */
@Singleton
@Requires(property = "alignloop.scorer.enabled", notEquals = "false")
public class ScorerWorker {

  /** Service name on dead letters and metrics. */
  public static final String SERVICE = "scorer-service";

  private static final Logger LOG = LoggerFactory.getLogger(ScorerWorker.class);

  private final ScorerConfig config;
  private final KafkaSettings kafka;
  private final PairLabeler labeler;
  private final MeterRegistry registry;
  private final Workers workers;
  private final Clock clock;
  private ExactlyOnceProcessor<ImagePair, PreferenceLabel> processor; // guarded by this

  /** The bean. */
  public ScorerWorker(ScorerConfig config, KafkaSettings kafka, PairLabeler labeler, MeterRegistry registry,
      Workers workers, Clock clock) {
    this.config = config;
    this.kafka = kafka;
    this.labeler = labeler;
    this.registry = registry;
    this.workers = workers;
    this.clock = clock;
  }

  /** Starts the loop when the application has started. */
  @EventListener
  void onStartup(StartupEvent event) {
    start();
  }

  /** Starts the processing loop (once). */
  public synchronized void start() {
    if (processor != null) {
      return;
    }
    ScorerMetrics metrics = new ScorerMetrics(registry, SERVICE, config.tieMargin());
    BatchHandler<ImagePair, PreferenceLabel> handler = batch -> {
      LabelledBatch labelled = labeler.label(batch);
      metrics.stage(labelled);
      return labelled.outcomes();
    };
    ProcessorListener listener = ProcessorListener.all(new ProcessorMetrics(registry, SERVICE, config.inputTopic()), metrics);
    processor = build(config, kafka, handler, listener, clock);
    workers.register("scorer", processor::state);
    LOG.info("scorer {} -> {}: group {}, transactional id {}, reward models {}, tie margin {}",
        config.inputTopic(), config.outputTopic(), config.groupId(), processor.transactionalId(),
        labeler.rewardModels(), config.tieMargin());
    processor.start();
  }

  /** The processor, once started. */
  public synchronized Optional<ExactlyOnceProcessor<ImagePair, PreferenceLabel>> processor() {
    return Optional.ofNullable(processor);
  }

  /** The loop's state ({@link ProcessorState#CREATED} before {@link #start()}). */
  public synchronized ProcessorState state() {
    return processor == null ? ProcessorState.CREATED : processor.state();
  }

  /** Stops gracefully: the batch in flight finishes and commits, then the clients close. */
  @PreDestroy
  public synchronized void close() {
    if (processor != null && !processor.state().isTerminal()) {
      LOG.info("stopping scorer {}", processor.transactionalId());
      processor.close();
    }
  }

  /**
   * The scorer's processor, exactly as the service builds it (also used by tests that drive the
   * loop themselves, e.g. to halt it mid-batch).
   */
  static ExactlyOnceProcessor<ImagePair, PreferenceLabel> build(ScorerConfig config, KafkaSettings kafka,
      BatchHandler<ImagePair, PreferenceLabel> handler, ProcessorListener listener, Clock clock) {
    return ExactlyOnceProcessor.<ImagePair, PreferenceLabel>builder()
        .setKafka(kafka)
        .setInput(config.inputTopic(), AvroSerde.of(ImagePair.class).safeDeserializer())
        .setOutput(AvroSerde.of(PreferenceLabel.class).serializer())
        .setGroupId(config.groupId())
        .setTransactionalId(config.transactionalIdPrefix(), config.instanceId())
        .setService(SERVICE)
        .setHandler(handler)
        .optMaxPollRecords(config.maxPollRecords())
        .optMaxPollInterval(config.maxPollInterval())
        .optMaxConsecutiveFailures(config.maxConsecutiveFailures())
        .optDeadLetterTopic(config.deadLetterTopic())
        .optListener(listener)
        .optClock(clock)
        .build();
  }

}
