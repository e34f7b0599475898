package dev.alignloop.diffusion.bench;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;

/** The timed cases; {@link #id()} is the name on the command line and in results. */
public enum BenchCase {
    /** UNet forward on 2B rows, no autograd (inference). */
    FORWARD("fwd"),
    /** UNet forward + MSE loss + backward on 2B rows (train mode), gradients zeroed after. */
    FORWARD_BACKWARD("fwdbwd"),
    /** The text-to-image pipeline: 20 DDIM steps, guidance 7.5 (2B UNet rows per step), B images. */
    DDIM("ddim"),
    /** One Diffusion-DPO step on B pairs: policy fwd+bwd and reference fwd on 2B rows, AdamW, zero grads. */
    DPO("dpo");

    private final String id;

    BenchCase(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** @throws IllegalArgumentException for an unknown name */
    public static BenchCase fromName(String name) {
        return Arrays.stream(values()).filter(c -> c.id.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown case '" + name + "', expected one of "
                        + Arrays.stream(values()).map(BenchCase::id).toList()));
    }

    /** Builds this case's workload (models, inputs) in {@code manager}. */
    public Workload open(BenchFolder folder, NDManager manager) {
        return switch (this) {
            case FORWARD -> Workloads.forward(folder, manager);
            case FORWARD_BACKWARD -> Workloads.forwardBackward(folder, manager);
            case DDIM -> Workloads.ddim(folder, manager);
            case DPO -> Workloads.dpo(folder, manager);
        };
    }
}
