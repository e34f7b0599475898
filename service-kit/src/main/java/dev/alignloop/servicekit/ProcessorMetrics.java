package dev.alignloop.servicekit;

import dev.alignloop.streaming.eos.BatchReport;
import dev.alignloop.streaming.eos.DeadLetterEvent;
import dev.alignloop.streaming.eos.ProcessorListener;
import dev.alignloop.streaming.eos.ProcessorState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Feeds a streaming processor's events into Micrometer. The processor reports counts only after
 * its transaction commits, so these counters are exactly-once too: a retried batch is not
 * counted twice.
 *
 * <p>Metric names (Prometheus form): {@code alignloop_records_in_total}, {@code
 * alignloop_records_out_total}, {@code alignloop_records_skipped_total{reason}}, {@code
 * alignloop_dlq_total{reason}}, {@code alignloop_retries_total}, {@code
 * alignloop_batch_latency_seconds}, {@code alignloop_handler_seconds}, {@code
 * alignloop_processor_running} — each tagged {@code service} and {@code topic}.
 */
public final class ProcessorMetrics implements ProcessorListener {
    private final MeterRegistry registry;
    private final String service;
    private final String topic;
    private final Counter in;
    private final Counter out;
    private final Counter retries;
    private final Timer latency;
    private final Timer handler;
    private final AtomicInteger running = new AtomicInteger();

    public ProcessorMetrics(MeterRegistry registry, String service, String topic) {
        this.registry = registry;
        this.service = service;
        this.topic = topic;
        this.in = counter("alignloop.records.in", "Records consumed and committed");
        this.out = counter("alignloop.records.out", "Records produced in committed transactions");
        this.retries = counter("alignloop.retries", "Aborted and retried batches");
        this.latency = Timer.builder("alignloop.batch.latency").description("Poll-to-commit time of a batch")
                .tags("service", service, "topic", topic).publishPercentileHistogram().register(registry);
        this.handler = Timer.builder("alignloop.handler").description("Time spent in the service's batch handler")
                .tags("service", service, "topic", topic).register(registry);
        registry.gauge("alignloop.processor.running",
                io.micrometer.core.instrument.Tags.of("service", service, "topic", topic), running);
    }

    private Counter counter(String name, String doc) {
        return Counter.builder(name).description(doc).tags("service", service, "topic", topic).register(registry);
    }

    @Override
    public void onBatchCommitted(BatchReport report) {
        in.increment(report.recordsIn());
        out.increment(report.recordsOut());
        report.skipped().forEach((reason, n) -> Counter.builder("alignloop.records.skipped")
                .description("Inputs that produced no output, by reason (e.g. tie)")
                .tags("service", service, "topic", topic, "reason", reason).register(registry).increment(n));
        latency.record(report.latency());
        handler.record(report.handlerTime());
    }

    @Override
    public void onDeadLetter(DeadLetterEvent event) {
        Counter.builder("alignloop.dlq").description("Records routed to the dead-letter topic, by reason category")
                .tags("service", service, "topic", topic, "reason", event.category()).register(registry).increment();
    }

    @Override
    public void onRetry(Throwable cause, int attempt, Duration backoff) {
        retries.increment();
    }

    @Override
    public void onStateChange(ProcessorState from, ProcessorState to, Throwable cause) {
        running.set(to == ProcessorState.RUNNING ? 1 : 0);
    }
}
