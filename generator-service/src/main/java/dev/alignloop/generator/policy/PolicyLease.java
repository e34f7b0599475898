package dev.alignloop.generator.policy;

import dev.alignloop.diffusion.pretrained.DiffusionPolicy;

/**
 * The right to sample from one policy for the length of a batch. While any lease on it is open,
 * a replaced policy stays loaded; the last lease closed frees it. Close exactly once
 * (try-with-resources); further calls do nothing.
 */
public final class PolicyLease implements AutoCloseable {
    private final Serving serving;
    private boolean released; // one owner: the batch's thread

    PolicyLease(Serving serving) {
        this.serving = serving;
    }

    /** @return the version to record on everything sampled with this lease */
    public PolicyVersion version() {
        return serving.version();
    }

    /** @return the policy; valid until {@link #close()} */
    public DiffusionPolicy policy() {
        return serving.policy();
    }

    /** Releases the lease; frees the policy if it was replaced and this was its last lease. */
    @Override
    public void close() {
        if (!released) {
            released = true;
            serving.release();
        }
    }
}
