package dev.alignloop.generator;

import dev.alignloop.generator.policy.PolicyListener;
import dev.alignloop.generator.policy.PolicyVersion;
import dev.alignloop.streaming.eos.BatchReport;
import dev.alignloop.streaming.eos.ProcessorListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;

/**
 * The generator's own metrics, on top of the processor's ({@code alignloop_records_*}, {@code
 * alignloop_dlq_total}, ... from {@link dev.alignloop.servicekit.ProcessorMetrics}). Prometheus
 * names:
 *
 * <ul>
 *   <li>{@code alignloop_generator_images_total}: images of committed pairs (2 per pair). Counted
 *       when the batch's transaction commits, so a retried batch is counted once; images/s over
 *       any window is {@code rate(alignloop_generator_images_total[1m])}.
 *   <li>{@code alignloop_generator_images_per_second}: sampling throughput of the last committed
 *       batch (its images over its handler time: sampling, PNG encoding and blob writes).
 *   <li>{@code alignloop_generator_policy_info{version}}: 1 for the version serving new batches
 *       (one series; the replaced version's series is removed).
 *   <li>{@code alignloop_generator_policy_swaps_total}: hot swaps to a PROMOTED checkpoint.
 *   <li>{@code alignloop_generator_policy_loads_total{result="loaded"|"failed"}} and {@code
 *       alignloop_generator_policy_load_seconds}: policy loads (base and checkpoints); a failed one
 *       is a PROMOTED checkpoint that could not be found, verified or loaded.
 * </ul>
 * Every meter is tagged {@code service="generator-service"}.
 */
@Singleton
public class GeneratorMetrics implements ProcessorListener, PolicyListener {

    private final Counter images;
    private final Counter swaps;
    private final Counter loaded;
    private final Counter failed;
    private final Timer loadTime;
    private final MultiGauge policyInfo;
    private volatile double imagesPerSecond;

    /** @param registry where the meters go */
    public GeneratorMetrics(MeterRegistry registry) {
        Tags service = Tags.of("service", GeneratorWorker.SERVICE);
        this.images = Counter.builder("alignloop.generator.images")
                .description("Images of committed pairs (2 per pair)").tags(service).register(registry);
        Gauge.builder("alignloop.generator.images.per.second", this, m -> m.imagesPerSecond)
                .description("Images per second of the last committed batch (sampling, PNG, blob writes)")
                .tags(service).register(registry);
        this.swaps = Counter.builder("alignloop.generator.policy.swaps")
                .description("Hot swaps to a newly PROMOTED checkpoint").tags(service).register(registry);
        this.loaded = Counter.builder("alignloop.generator.policy.loads").description("Policy loads, by result")
                .tags(service.and("result", "loaded")).register(registry);
        this.failed = Counter.builder("alignloop.generator.policy.loads").description("Policy loads, by result")
                .tags(service.and("result", "failed")).register(registry);
        this.loadTime = Timer.builder("alignloop.generator.policy.load")
                .description("Time to read, verify and load a policy").tags(service).register(registry);
        this.policyInfo = MultiGauge.builder("alignloop.generator.policy.info")
                .description("1 for the policy version serving new batches").tags(service).register(registry);
    }

    @Override
    public void onBatchCommitted(BatchReport report) {
        int n = report.recordsOut() * GeneratorConfig.IMAGES_PER_PROMPT;
        images.increment(n);
        double seconds = report.handlerTime().toNanos() / 1e9;
        if (n > 0 && seconds > 0) {
            imagesPerSecond = n / seconds;
        }
    }

    @Override
    public void onServing(PolicyVersion version, PolicyVersion previous) {
        policyInfo.register(List.of(MultiGauge.Row.of(Tags.of("version", version.name()), 1)), true);
        if (previous != null) {
            swaps.increment();
        }
    }

    @Override
    public void onLoaded(PolicyVersion version, Duration took) {
        loaded.increment();
        loadTime.record(took);
    }

    @Override
    public void onLoadFailed(PolicyVersion version, Throwable error) {
        failed.increment();
    }

    /** @return images of committed pairs so far */
    public double imagesCommitted() {
        return images.count();
    }

    /** @return failed loads of PROMOTED checkpoints so far */
    public double failedLoads() {
        return failed.count();
    }
}
