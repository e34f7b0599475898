package dev.alignloop.generator.policy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.engine.ComputeDevice;
import ai.djl.pytorch.jni.JniUtils;
import dev.alignloop.diffusion.pretrained.DiffusionPolicy;
import dev.alignloop.diffusion.pretrained.PolicyLoader;
import dev.alignloop.generator.GeneratorConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the policy that samples new batches, and swaps it atomically between batches.
 *
 * <p>A batch takes a {@link PolicyLease} when it starts and samples every image with it, so all
 * its pairs carry one version. {@link #swapTo} makes the new policy current for the next {@link
 * #acquire()}; the replaced one is freed when its last lease closes (the batch in flight finishes
 * on it). Loading happens outside any lock: sampling never waits for a load.
 *
 * <p>Each policy gets its own NDManager tree, so freeing one never touches another's arrays.
 */
@Singleton
public class PolicyManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyManager.class);

    private final GeneratorConfig config;
    private final PolicyListener listener;
    private Serving current; // guarded by this
    private boolean closed; // guarded by this

    /**
     * @param config model folder, sampler and tokenizer settings
     * @param listener metrics hooks
     */
    public PolicyManager(GeneratorConfig config, PolicyListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Loads the base policy ({@code alignloop.generator.model-dir}) if no policy serves yet, and
     * applies {@code djl-threads}. Idempotent.
     *
     * @throws RuntimeException naming the folder and every problem, if the base cannot be loaded
     */
    public void start() {
        synchronized (this) {
            if (current != null) {
                return;
            }
        }
        if (config.djlThreads() > 0) {
            Engine.getInstance(); // loads the native library before the setting can apply
            JniUtils.setNumThreads(config.djlThreads());
        }
        PolicyVersion base = PolicyVersion.base(config.policyVersion());
        Serving serving = load(base, config.modelPath(), false);
        synchronized (this) {
            if (current == null && !closed) {
                current = serving;
                serving = null;
            }
        }
        if (serving != null) { // raced with another start() or close(): keep the first
            serving.retire();
        } else {
            listener.onServing(base, null);
        }
    }

    /**
     * A lease on the current policy, for one batch.
     *
     * @throws IllegalStateException before {@link #start()} or after {@link #close()}
     */
    public synchronized PolicyLease acquire() {
        if (current == null || closed) {
            throw new IllegalStateException(closed ? "the policy manager is closed" : "no policy loaded: call start()");
        }
        current.acquire(); // under this lock: a swap cannot retire it in between
        return new PolicyLease(current);
    }

    /** @return the version serving new batches, or null before {@link #start()} */
    public synchronized PolicyVersion currentVersion() {
        return current == null ? null : current.version();
    }

    /**
     * Loads the checkpoint's model folder (components it lacks come from the base model folder)
     * and makes it current, if it is still newer than the current policy when loaded.
     *
     * @param version the checkpoint's version
     * @param modelDir its diffusers folder, resolved and verified
     * @return whether it now serves
     * @throws RuntimeException if it cannot be loaded; the current policy stays
     */
    public boolean swapTo(PolicyVersion version, Path modelDir) {
        Serving next = load(version, modelDir, true);
        Serving old;
        synchronized (this) {
            if (closed || current == null || !version.isNewerThan(current.version())) {
                old = null;
            } else {
                old = current;
                current = next;
                next = null;
            }
        }
        if (next != null) {
            LOG.info("loaded {} but {} is not older any more: discarding it", version, currentVersion());
            next.retire();
            return false;
        }
        LOG.info("policy {} replaces {} from the next batch", version, old.version());
        listener.onServing(version, old.version());
        old.retire(); // freed now, or when the batch in flight releases its lease
        return true;
    }

    private Serving load(PolicyVersion version, Path dir, boolean overBase) {
        long start = System.nanoTime();
        PolicyLoader loader = DiffusionPolicy.loader()
                .optSampler(config.samplerKind().schedulerType())
                .optStrictTokenizer(config.strictTokenizer())
                .optBaseFolder(overBase ? config.modelPath() : null);
        if (config.maxPromptTokens() > 0) {
            loader.optMaxPromptTokens(config.maxPromptTokens());
        }
        NDManager root = ComputeDevice.newManager(ComputeDevice.resolve(config.device(), "alignloop.generator.device"));
        try {
            DiffusionPolicy policy = loader.load(dir, root);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            LOG.info("loaded policy {} from {} in {} ms on {}: {}, {} parameters", version, dir, took.toMillis(),
                    root.getDevice(), policy, policy.parameterCount());
            listener.onLoaded(version, took);
            return new Serving(version, policy, root);
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /** Frees the current policy once its leases are released; later {@link #acquire()} calls fail. */
    @PreDestroy
    @Override
    public void close() {
        Serving last;
        synchronized (this) {
            closed = true;
            last = current;
            current = null;
        }
        if (last != null) {
            last.retire();
        }
    }
}
