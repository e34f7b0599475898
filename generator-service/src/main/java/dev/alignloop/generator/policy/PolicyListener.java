package dev.alignloop.generator.policy;

import java.time.Duration;

/** Hooks for metrics and logs of the policy lifecycle; called on the loading thread. */
public interface PolicyListener {

    /** Does nothing. */
    PolicyListener NONE = new PolicyListener() { };

    /**
     * A policy now serves new batches (the base at startup, or a swap).
     *
     * @param version the serving version
     * @param previous the version it replaced, or null at startup
     */
    default void onServing(PolicyVersion version, PolicyVersion previous) {
    }

    /**
     * A policy was loaded.
     *
     * @param version its version
     * @param took how long reading and checking it took
     */
    default void onLoaded(PolicyVersion version, Duration took) {
    }

    /**
     * A PROMOTED checkpoint could not be resolved, verified or loaded; the serving policy stays.
     *
     * @param version the checkpoint's version
     * @param error why
     */
    default void onLoadFailed(PolicyVersion version, Throwable error) {
    }
}
