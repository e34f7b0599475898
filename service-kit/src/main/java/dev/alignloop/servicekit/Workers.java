package dev.alignloop.servicekit;

import dev.alignloop.streaming.eos.ProcessorState;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The service's long-running workers (Kafka processing loops) and their health: {@code /health}
 * is DOWN as soon as one worker has stopped for good (failed or fenced), so Kubernetes restarts
 * the pod instead of leaving a silent zombie.
 */
@Singleton
public class Workers extends AbstractHealthIndicator<Map<String, Object>> {
    private final Map<String, Supplier<ProcessorState>> states = new ConcurrentHashMap<>();

    /** Registers a worker under {@code name}; its state is read on every health check. */
    public void register(String name, Supplier<ProcessorState> state) {
        states.put(name, state);
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> details = new LinkedHashMap<>();
        HealthStatus status = HealthStatus.UP;
        for (var e : states.entrySet()) {
            ProcessorState s = e.getValue().get();
            details.put(e.getKey(), s.name());
            if (s == ProcessorState.FAILED || s == ProcessorState.FENCED || s == ProcessorState.HALTED) {
                status = HealthStatus.DOWN;
            }
        }
        healthStatus = status;
        return details;
    }

    @Override
    protected String getName() {
        return "workers";
    }
}
