package dev.alignloop.gate;

import dev.alignloop.common.kafka.KafkaSettings;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.Topics;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.EvalResult;
import dev.alignloop.servicekit.ProcessorMetrics;
import dev.alignloop.servicekit.Workers;
import dev.alignloop.streaming.eos.BatchHandler;
import dev.alignloop.streaming.eos.ExactlyOnceProcessor;
import dev.alignloop.streaming.eos.ProcessorState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the gate as an exactly-once loop over {@code alignloop.checkpoints}: the verdict (eval
 * result and new status) and the consumed offset commit in one transaction, so a crash mid-eval
 * re-evaluates the candidate instead of losing or doubling its verdict.
 */
@Singleton
public class GateWorker {
    /** Service name on dead letters and metrics. */
    public static final String SERVICE = "gate-service";
    private static final Logger LOG = LoggerFactory.getLogger(GateWorker.class);

    private final GateConfig config;
    private final KafkaSettings kafka;
    private final CheckpointGate gate;
    private final MeterRegistry registry;
    private final Workers workers;
    private final Clock clock;
    private ExactlyOnceProcessor<Checkpoint, SpecificRecord> processor;

    public GateWorker(GateConfig config, KafkaSettings kafka, CheckpointGate gate, MeterRegistry registry,
                      Workers workers, Clock clock) {
        this.config = config;
        this.kafka = kafka;
        this.gate = gate;
        this.registry = registry;
        this.workers = workers;
        this.clock = clock;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        start();
    }

    /** Starts the loop (once). */
    @SuppressWarnings("unchecked")
    public synchronized void start() {
        if (processor != null) {
            return;
        }
        processor = ExactlyOnceProcessor.<Checkpoint, SpecificRecord>builder()
                .setKafka(kafka)
                .setInput(Topics.CHECKPOINTS, AvroSerde.of(Checkpoint.class).safeDeserializer())
                .setOutput(new RecordSerializer(EvalResult.class, Checkpoint.class))
                .setGroupId(config.groupId())
                .setTransactionalId(config.transactionalIdPrefix(), config.instanceId())
                .setService(SERVICE)
                .setHandler(BatchHandler.perRecord(gate::decide))
                // One checkpoint per poll: an eval takes minutes on CPU.
                .optMaxPollRecords(1)
                .optMaxPollInterval(config.maxPollInterval())
                .optListener(new ProcessorMetrics(registry, SERVICE, Topics.CHECKPOINTS))
                .optClock(clock)
                .build();
        if (config.mustBeatPromoted()) {
            gate.restoreIncumbent(EvalHistory.lastPromoted(kafka, Topics.EVALS, config.maxPollInterval()));
        }
        workers.register("gate", processor::state);
        LOG.info("eval gate on {}: base {}, reward {}, judge {}", Topics.CHECKPOINTS, config.baseModelDir(),
                config.rewardManifest(), config.judge());
        processor.start();
    }

    public synchronized ProcessorState state() {
        return processor == null ? ProcessorState.CREATED : processor.state();
    }

    @PreDestroy
    public synchronized void close() {
        if (processor != null && !processor.state().isTerminal()) {
            processor.close();
        }
    }
}
