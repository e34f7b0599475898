package dev.alignloop.generator;

import dev.alignloop.common.kafka.KafkaSettings;
import dev.alignloop.diffusion.checkpoint.CheckpointLocator;
import dev.alignloop.generator.policy.CheckpointWatcher;
import dev.alignloop.generator.policy.PolicyManager;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PromptRequest;
import dev.alignloop.servicekit.ProcessorMetrics;
import dev.alignloop.servicekit.Workers;
import dev.alignloop.streaming.eos.BatchReport;
import dev.alignloop.streaming.eos.DeadLetterEvent;
import dev.alignloop.streaming.eos.ExactlyOnceProcessor;
import dev.alignloop.streaming.eos.ProcessorListener;
import dev.alignloop.streaming.eos.ProcessorState;
import io.micrometer.core.instrument.MeterRegistry;
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
 * Runs the generator: loads the base policy, follows the checkpoint topic ({@link
 * CheckpointWatcher}, until caught up, so the first pairs already come from the latest promoted
 * policy), then an {@link ExactlyOnceProcessor} from {@code alignloop.prompts} to {@code
 * alignloop.pairs} whose handler is {@link PairGenerator}. Metrics: {@link ProcessorMetrics} and
 * {@link GeneratorMetrics}; health ({@link Workers}): DOWN once the loop is fenced or failed, or
 * when the base policy cannot be loaded. Started on {@link StartupEvent} (unless {@code
 * alignloop.generator.enabled} is false), closed gracefully on shutdown: the batch in flight
 * commits, then the clients close.
 */
@Singleton
public class GeneratorWorker {

    /** Service name on dead letters and metrics. */
    public static final String SERVICE = "generator-service";

    private static final Logger LOG = LoggerFactory.getLogger(GeneratorWorker.class);

    private final GeneratorConfig config;
    private final KafkaSettings kafka;
    private final PairGenerator generator;
    private final PolicyManager policies;
    private final GeneratorMetrics metrics;
    private final MeterRegistry registry;
    private final Workers workers;
    private final Clock clock;
    // Written under this; volatile so that health checks never wait for a start in progress.
    private volatile ExactlyOnceProcessor<PromptRequest, ImagePair> processor;
    private volatile CheckpointWatcher watcher;
    private volatile boolean baseFailed;

    /** The bean. */
    public GeneratorWorker(GeneratorConfig config, KafkaSettings kafka, PairGenerator generator, PolicyManager policies,
            GeneratorMetrics metrics, MeterRegistry registry, Workers workers, Clock clock) {
        this.config = config;
        this.kafka = kafka;
        this.generator = generator;
        this.policies = policies;
        this.metrics = metrics;
        this.registry = registry;
        this.workers = workers;
        this.clock = clock;
    }

    /** Starts the worker when the application has started. */
    @EventListener
    void onStartup(StartupEvent event) {
        if (config.enabled()) {
            start();
        } else {
            LOG.info("alignloop.generator.enabled=false: not consuming {}", config.inputTopic());
        }
    }

    /** Loads the base policy, catches up with the checkpoints and starts the loop (once). */
    public synchronized void start() {
        if (processor != null || baseFailed) {
            return;
        }
        workers.register("generator", this::state);
        try {
            policies.start();
        } catch (RuntimeException e) {
            // Health DOWN (the pod is restarted) rather than a process that looks alive and does nothing.
            LOG.error("cannot load the base policy from {}: not consuming {}", config.modelDir(), config.inputTopic(), e);
            baseFailed = true;
            return;
        }
        if (config.hotSwap()) {
            CheckpointWatcher w = new CheckpointWatcher(config.checkpointsTopic(), kafka, policies,
                    new CheckpointLocator(config.checkpointPath(), config.verifyCheckpoints()), metrics).start();
            watcher = w;
            workers.register("checkpoints", w::state);
            awaitCatchUp(w);
        }
        ProcessorListener listener = ProcessorListener.all(new ProcessorMetrics(registry, SERVICE, config.inputTopic()), metrics);
        processor = build(config, kafka, generator, listener, clock);
        LOG.info("generator {} -> {}: group {}, transactional id {}, policy {}, {} x{} steps, guidance {}{}",
                config.inputTopic(), config.outputTopic(), config.groupId(), processor.transactionalId(),
                policies.currentVersion(), config.samplerKind().id(), config.steps(), config.guidance(),
                config.guidanceB() == null ? "" : " / " + config.guidanceB());
        processor.start();
    }

    private void awaitCatchUp(CheckpointWatcher w) {
        try {
            if (!w.awaitCaughtUp(config.checkpointCatchUpTimeout())) {
                LOG.warn("{} not read to its end within {}: starting with policy {}", config.checkpointsTopic(),
                        config.checkpointCatchUpTimeout(), policies.currentVersion());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the processor, once started */
    public Optional<ExactlyOnceProcessor<PromptRequest, ImagePair>> processor() {
        return Optional.ofNullable(processor);
    }

    /** @return the loop's state: FAILED if the base policy did not load, CREATED before the start */
    public ProcessorState state() {
        ExactlyOnceProcessor<PromptRequest, ImagePair> p = processor;
        return baseFailed ? ProcessorState.FAILED : p == null ? ProcessorState.CREATED : p.state();
    }

    /** Stops gracefully: the batch in flight finishes and commits, then the clients and the watcher close. */
    @PreDestroy
    public synchronized void close() {
        ExactlyOnceProcessor<PromptRequest, ImagePair> p = processor;
        if (p != null && !p.state().isTerminal()) {
            LOG.info("stopping generator {}", p.transactionalId());
            p.close();
        }
        CheckpointWatcher w = watcher;
        if (w != null) {
            w.close();
        }
    }

    /** The generator's processor, exactly as the service builds it (tests drive it directly too). */
    static ExactlyOnceProcessor<PromptRequest, ImagePair> build(GeneratorConfig config, KafkaSettings kafka,
            PairGenerator generator, ProcessorListener listener, Clock clock) {
        return ExactlyOnceProcessor.<PromptRequest, ImagePair>builder()
                .setKafka(kafka)
                .setInput(config.inputTopic(), AvroSerde.of(PromptRequest.class).safeDeserializer())
                .setOutput(AvroSerde.of(ImagePair.class).serializer())
                .setGroupId(config.groupId())
                .setTransactionalId(config.transactionalIdPrefix(), config.instanceId())
                .setService(SERVICE)
                .setHandler(generator::generate)
                // One poll = one sampling run = one transaction: a swap waits at most one batch.
                .optMaxPollRecords(config.batchSize())
                .optMaxPollInterval(config.maxPollInterval())
                .optMaxConsecutiveFailures(config.maxConsecutiveFailures())
                .optDeadLetterTopic(config.deadLetterTopic())
                .optListener(listener)
                .optClock(clock)
                .build();
    }

}
