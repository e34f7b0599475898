package dev.alignloop.generator;

import dev.alignloop.schemas.Topics;
import dev.alignloop.streaming.eos.ProcessorBuilder;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Generator settings, {@code alignloop.generator.*}; every key can also be set by environment
 * variable ({@code alignloop.generator.guidance-b} ← {@code ALIGNLOOP_GENERATOR_GUIDANCE_B}).
 * Kafka and blob store settings are the shared {@code alignloop.kafka.*} and {@code
 * alignloop.blob.*} keys of the service kit. {@code application.yml} documents each key; the
 * compact constructor validates them and names the key at fault. Each prompt always gets {@value
 * #IMAGES_PER_PROMPT} images (a pair).
 *
 * @param modelDir the base policy's diffusers folder
 * @param policyVersion the version name recorded on pairs sampled by the base policy
 * @param sampler {@link Sampler} name: {@code ddim}, {@code ddpm}, {@code euler} or {@code dpm-solver++}
 * @param steps denoising steps per image
 * @param guidance classifier-free guidance of image A (and of B unless {@code guidanceB} is set)
 * @param guidanceB guidance of image B, to make the two images of a pair differ by more than the
 *     noise; unset: the same as A
 * @param eta DDIM's eta (0: deterministic); ignored by the other samplers
 * @param batchSize prompts per batch: one sampling run of {@code 2 × batchSize} images, one Kafka
 *     transaction ({@code max.poll.records}) and the granularity of a policy hot-swap
 * @param strictTokenizer reject prompts with words the tokenizer does not know (word-level
 *     tokenizers) instead of sampling them as {@code [UNK]}
 * @param maxPromptTokens longest prompt in tokens (special tokens included); 0: the model's own
 *     limit ({@code model_max_length}, else the text encoder's positions)
 * @param groupId consumer group of all generator replicas
 * @param transactionalIdPrefix transactional id = {@code prefix-instanceId}
 * @param instanceId stable, unique id of this replica (StatefulSet pod name); unset: the
 *     {@code HOSTNAME} environment variable, else {@code local}
 * @param djlThreads PyTorch intra-op threads; 0: the engine's default (one per core)
 * @param device where the policy runs: {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
 *     ({@link dev.alignloop.diffusion.engine.ComputeDevice})
 * @param checkpointDir where the trainer's checkpoint folders are found: relative checkpoint
 *     URIs resolve against it, and a checkpoint missing at its URI is looked up here by version
 * @param verifyCheckpoints re-hash every file of a checkpoint against its manifest, and the
 *     manifest against the {@code Checkpoint}'s sha256, before loading it
 * @param hotSwap follow {@code checkpointsTopic} and switch to newly PROMOTED checkpoints
 * @param checkpointCatchUpTimeout at startup, how long to wait for the checkpoint topic to be read
 *     to its end (so the first pairs already come from the latest promoted policy)
 * @param maxPollInterval {@code max.poll.interval.ms}: above the worst batch time plus the
 *     processor's longest retry backoff (30 s)
 * @param maxConsecutiveFailures stop (health DOWN, pod restarted) after this many failed attempts
 *     of a batch in a row; 0 retries forever
 * @param inputTopic where prompt requests are read
 * @param outputTopic where image pairs are written
 * @param checkpointsTopic where checkpoints and their status are read (compacted)
 * @param deadLetterTopic where bad prompts go, with the reason and their source offset
 * @param enabled start the Kafka worker at startup (false: beans only, e.g. for tools)
 */
@ConfigurationProperties("alignloop.generator")
public record GeneratorConfig(
        @Bindable(defaultValue = DEFAULT_MODEL_DIR) String modelDir,
        @Bindable(defaultValue = "base") String policyVersion,
        @Bindable(defaultValue = "ddim") String sampler,
        @Bindable(defaultValue = "20") int steps,
        @Bindable(defaultValue = "3.0") double guidance,
        @Nullable Double guidanceB,
        @Bindable(defaultValue = "0.0") double eta,
        @Bindable(defaultValue = "8") int batchSize,
        @Bindable(defaultValue = "true") boolean strictTokenizer,
        @Bindable(defaultValue = "0") int maxPromptTokens,
        @Bindable(defaultValue = "alignloop-generator") String groupId,
        @Bindable(defaultValue = "alignloop-generator") String transactionalIdPrefix,
        @Nullable String instanceId,
        @Bindable(defaultValue = "0") int djlThreads,
        @Bindable(defaultValue = "auto") String device,
        @Bindable(defaultValue = DEFAULT_CHECKPOINT_DIR) String checkpointDir,
        @Bindable(defaultValue = "true") boolean verifyCheckpoints,
        @Bindable(defaultValue = "true") boolean hotSwap,
        @Bindable(defaultValue = "60s") Duration checkpointCatchUpTimeout,
        @Bindable(defaultValue = "5m") Duration maxPollInterval,
        @Bindable(defaultValue = "0") int maxConsecutiveFailures,
        @Bindable(defaultValue = Topics.PROMPTS) String inputTopic,
        @Bindable(defaultValue = Topics.PAIRS) String outputTopic,
        @Bindable(defaultValue = Topics.CHECKPOINTS) String checkpointsTopic,
        @Bindable(defaultValue = Topics.DLQ) String deadLetterTopic,
        @Bindable(defaultValue = "true") boolean enabled) {

    /** Images sampled per prompt: a pair. */
    public static final int IMAGES_PER_PROMPT = 2;
    /** The shipped "shapes" base model. */
    public static final String DEFAULT_MODEL_DIR = "models/shapes-base";
    /** Where the trainer writes checkpoints by default. */
    public static final String DEFAULT_CHECKPOINT_DIR = ".alignloop/checkpoints";

    private static final String PREFIX = "alignloop.generator.";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]+");

    /** Validates; messages name the {@code alignloop.generator.*} key. */
    public GeneratorConfig {
        require(modelDir != null && !modelDir.isBlank(), "model-dir", modelDir, "must name a diffusers folder");
        id("policy-version", policyVersion);
        try {
            Sampler.parse(sampler);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PREFIX + "sampler: " + e.getMessage(), e);
        }
        require(steps >= 1 && steps <= 1000, "steps", steps, "must be in 1..1000");
        require(guidance >= 0 && Double.isFinite(guidance), "guidance", guidance, "must be finite and >= 0");
        require(guidanceB == null || guidanceB >= 0 && Double.isFinite(guidanceB), "guidance-b", guidanceB,
                "must be finite and >= 0 (or unset)");
        require(eta >= 0 && eta <= 1, "eta", eta, "must be in [0, 1]");
        require(batchSize >= 1, "batch-size", batchSize, "must be >= 1");
        require(maxPromptTokens >= 0, "max-prompt-tokens", maxPromptTokens, "must be >= 0 (0: the model's limit)");
        require(djlThreads >= 0, "djl-threads", djlThreads, "must be >= 0 (0: the engine's default)");
        require(maxConsecutiveFailures >= 0, "max-consecutive-failures", maxConsecutiveFailures, "must be >= 0");
        require(checkpointDir != null && !checkpointDir.isBlank(), "checkpoint-dir", checkpointDir, "must be set");
        require(checkpointCatchUpTimeout != null && !checkpointCatchUpTimeout.isNegative(),
                "checkpoint-catch-up-timeout", checkpointCatchUpTimeout, "must be >= 0");
        if (instanceId == null || instanceId.isBlank()) {
            String host = System.getenv("HOSTNAME");
            instanceId = host == null || host.isBlank() ? "local" : host.strip();
        }
        id("group-id", groupId);
        id("transactional-id-prefix", transactionalIdPrefix);
        id("instance-id", instanceId);
        id("input-topic", inputTopic);
        id("output-topic", outputTopic);
        id("checkpoints-topic", checkpointsTopic);
        id("dead-letter-topic", deadLetterTopic);
        // The processor waits out its retry backoff on the polling thread, inside one poll interval.
        Duration floor = ProcessorBuilder.DEFAULT_BACKOFF_MAX.plus(ProcessorBuilder.DEFAULT_POLL_TIMEOUT);
        require(maxPollInterval != null && maxPollInterval.compareTo(floor) > 0, "max-poll-interval",
                maxPollInterval, "must be above " + floor + " (longest retry backoff + poll timeout) and above the"
                        + " worst batch time");
    }

    /** @return a config with every default (for tests and tools) */
    public static GeneratorConfig defaults() {
        return new GeneratorConfig(DEFAULT_MODEL_DIR, "base", "ddim", 20, 3.0, null, 0.0, 8, true, 0,
                "alignloop-generator", "alignloop-generator", null, 0, "auto", DEFAULT_CHECKPOINT_DIR, true, true,
                Duration.ofSeconds(60), Duration.ofMinutes(5), 0, Topics.PROMPTS, Topics.PAIRS, Topics.CHECKPOINTS,
                Topics.DLQ, true);
    }

    /** @return the parsed {@link #sampler()} */
    public Sampler samplerKind() {
        return Sampler.parse(sampler);
    }

    /** @return the guidance of image B: {@link #guidanceB()} if set, else {@link #guidance()} */
    public double guidanceOfB() {
        return guidanceB == null ? guidance : guidanceB;
    }

    /** @return {@link #modelDir()} as a path */
    public Path modelPath() {
        return Path.of(modelDir);
    }

    /** @return {@link #checkpointDir()} as a path */
    public Path checkpointPath() {
        return Path.of(checkpointDir);
    }

    /**
     * @param dir another base model folder
     * @return a copy of this config with {@code model-dir} set to {@code dir} (for tests and tools)
     */
    public GeneratorConfig withModelDir(Path dir) {
        return new GeneratorConfig(dir.toString(), policyVersion, sampler, steps, guidance, guidanceB, eta, batchSize,
                strictTokenizer, maxPromptTokens, groupId, transactionalIdPrefix, instanceId, djlThreads, device,
                checkpointDir, verifyCheckpoints, hotSwap, checkpointCatchUpTimeout, maxPollInterval,
                maxConsecutiveFailures, inputTopic, outputTopic, checkpointsTopic, deadLetterTopic, enabled);
    }

    /**
     * @param newSteps denoising steps
     * @param newGuidanceB guidance of image B, or null for the same as A
     * @return a copy with these sampling settings (for tests and tools)
     */
    public GeneratorConfig withSampling(int newSteps, Double newGuidanceB) {
        return new GeneratorConfig(modelDir, policyVersion, sampler, newSteps, guidance, newGuidanceB, eta, batchSize,
                strictTokenizer, maxPromptTokens, groupId, transactionalIdPrefix, instanceId, djlThreads, device,
                checkpointDir, verifyCheckpoints, hotSwap, checkpointCatchUpTimeout, maxPollInterval,
                maxConsecutiveFailures, inputTopic, outputTopic, checkpointsTopic, deadLetterTopic, enabled);
    }

    private static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(PREFIX + key + " " + rule + ", got " + value);
        }
    }

    private static void id(String key, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new IllegalArgumentException(PREFIX + key + " must be letters, digits, '.', '_' or '-', got '"
                    + value + "'");
        }
    }
}
