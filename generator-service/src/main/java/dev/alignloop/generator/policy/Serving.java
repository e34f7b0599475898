package dev.alignloop.generator.policy;

import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.pretrained.DiffusionPolicy;

/**
 * A loaded policy with its reference count: {@link PolicyManager} hands out {@link PolicyLease}s on
 * it and retires it when another replaces it; it is closed when it is retired and no lease is
 * left, so a batch in flight always finishes on the policy it started with.
 */
final class Serving {
    private final PolicyVersion version;
    private final DiffusionPolicy policy;
    private final NDManager root;
    private int leases; // guarded by this
    private boolean retired; // guarded by this
    private boolean closed; // guarded by this

    /**
     * @param root the manager the policy was loaded into; closed with it
     */
    Serving(PolicyVersion version, DiffusionPolicy policy, NDManager root) {
        this.version = version;
        this.policy = policy;
        this.root = root;
    }

    PolicyVersion version() {
        return version;
    }

    DiffusionPolicy policy() {
        return policy;
    }

    synchronized void acquire() {
        if (closed) {
            throw new IllegalStateException("policy " + version + " is already closed");
        }
        leases++;
    }

    synchronized void release() {
        leases--;
        closeIfUnused();
    }

    /** No new leases will be taken; frees the policy now or when the last lease is released. */
    synchronized void retire() {
        retired = true;
        closeIfUnused();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    private void closeIfUnused() {
        if (retired && leases == 0 && !closed) {
            closed = true;
            try {
                policy.close();
            } finally {
                root.close();
            }
        }
    }
}
