package dev.alignloop.diffusion.bench;

import dev.alignloop.diffusion.safetensors.HostTensor;
import java.util.Map;

/** One benchmark case, set up: each {@link #iterate} call is one timed unit of work. */
public interface Workload {
    /**
     * Runs one iteration.
     *
     * @param capture whether to copy this iteration's results to the host (for the sanity comparison)
     * @return the results keyed by the names the PyTorch side uses, or an empty map without capture
     */
    Map<String, HostTensor> iterate(boolean capture);
}
