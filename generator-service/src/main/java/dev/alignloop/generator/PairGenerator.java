package dev.alignloop.generator;

import dev.alignloop.common.blob.BlobStore;
import dev.alignloop.common.blob.StoredBlob;
import dev.alignloop.common.image.Png;
import dev.alignloop.diffusion.pretrained.DiffusionPolicy;
import dev.alignloop.diffusion.pretrained.SamplingOptions;
import dev.alignloop.generator.policy.PolicyLease;
import dev.alignloop.generator.policy.PolicyManager;
import dev.alignloop.schemas.avro.BlobRef;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PromptRequest;
import dev.alignloop.schemas.avro.SamplerSettings;
import dev.alignloop.streaming.InputRecord;
import dev.alignloop.streaming.eos.Outcome;
import dev.alignloop.text.TokenizerException;
import jakarta.inject.Singleton;
import java.awt.image.BufferedImage;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generator's logic, one polled batch at a time: every valid {@link PromptRequest} becomes one
 * {@link ImagePair} — two images sampled by the current policy, written to the blob store as
 * PNGs, referenced by {@link BlobRef}s — and every invalid one a rejection (to the DLQ, with the
 * reason).
 *
 * <p><b>One policy per batch.</b> The batch takes a {@link PolicyLease} first and samples every
 * image with it, so a hot swap never splits a batch and every pair names the policy that made
 * both its images.
 *
 * <p><b>Idempotent.</b> A batch may be redone (retry, crash, rebalance). Seeds are a function of
 * the request ({@link PairSeeds}), pair ids of the prompt id ({@code pair-<promptId>}) and blobs
 * are content-addressed, so a redo under the same policy writes the same blobs and emits the same
 * pair; an aborted attempt's outputs are never seen by {@code read_committed} readers.
 *
 * <p><b>Errors.</b> Bad input — empty prompt, a word a strict tokenizer does not know, a prompt
 * longer than the text encoder takes — is rejected before sampling. If sampling a batch fails
 * anyway, its prompts are sampled one at a time so that one poison prompt is rejected alone
 * (when its error is the input's fault) and the others still get their pairs. Anything else
 * (blob store down, engine failure) is thrown: the processor retries the batch.
 */
@Singleton
public class PairGenerator {
    /** Prefix of pair ids: {@code pair-<promptId>}. */
    public static final String PAIR_ID_PREFIX = "pair-";
    static final String MEDIA_TYPE = "image/png";
    private static final Logger LOG = LoggerFactory.getLogger(PairGenerator.class);
    /** Threads that encode and store PNGs (mostly waiting for fsync); daemons, shared by instances. */
    private static final int STORE_THREADS = 4;
    private static final ExecutorService STORE_POOL = Executors.newFixedThreadPool(STORE_THREADS, new ThreadFactory() {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "alignloop-generator-store-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });

    private final GeneratorConfig config;
    private final PolicyManager policies;
    private final BlobStore blobs;
    private final Clock clock;

    /**
     * @param config sampling settings and output topic
     * @param policies the current policy
     * @param blobs where the PNGs go
     * @param clock stamps {@code createdAt}
     */
    public PairGenerator(GeneratorConfig config, PolicyManager policies, BlobStore blobs, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.blobs = Objects.requireNonNull(blobs, "blobs");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param batch prompt requests, in poll order
     * @return one outcome per request, in order: a pair to {@code output-topic} keyed by pair id,
     *     or a rejection
     * @throws RuntimeException on a transient failure (the batch is retried)
     */
    public List<Outcome<ImagePair>> generate(List<InputRecord<PromptRequest>> batch) {
        List<Outcome<ImagePair>> outcomes = new ArrayList<>(Collections.nCopies(batch.size(), null));
        try (PolicyLease lease = policies.acquire()) {
            List<Integer> valid = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                Optional<String> problem = problem(batch.get(i).value(), lease.policy());
                if (problem.isPresent()) {
                    outcomes.set(i, Outcome.reject(problem.get()));
                } else {
                    valid.add(i);
                }
            }
            for (int from = 0; from < valid.size(); from += config.batchSize()) {
                List<Integer> chunk = valid.subList(from, Math.min(valid.size(), from + config.batchSize()));
                sampleChunk(batch, chunk, lease, outcomes);
            }
        }
        return outcomes;
    }

    /** Why a request cannot be sampled, if it cannot. */
    static Optional<String> problem(PromptRequest request, DiffusionPolicy policy) {
        if (request.getId() == null || request.getId().isBlank()) {
            return Optional.of("empty prompt id");
        }
        if (request.getPrompt() == null || request.getPrompt().isBlank()) {
            return Optional.of("empty prompt");
        }
        Optional<String> prompt = policy.validatePrompt(request.getPrompt());
        if (prompt.isPresent()) {
            return Optional.of("invalid prompt: " + prompt.get());
        }
        return request.getNegativePrompt() == null ? Optional.empty()
                : policy.validatePrompt(request.getNegativePrompt()).map(p -> "invalid negative prompt: " + p);
    }

    private void sampleChunk(List<InputRecord<PromptRequest>> batch, List<Integer> chunk, PolicyLease lease,
            List<Outcome<ImagePair>> outcomes) {
        List<PromptRequest> requests = chunk.stream().map(i -> batch.get(i).value()).toList();
        List<BufferedImage> images;
        try {
            images = sample(lease.policy(), requests);
        } catch (RuntimeException e) {
            if (chunk.size() == 1) {
                if (!isInputFault(e)) {
                    throw e;
                }
                LOG.warn("prompt {} cannot be sampled: {}", requests.get(0).getId(), e.toString());
                outcomes.set(chunk.get(0), Outcome.reject("sampling failed: " + e.getMessage(), e));
                return;
            }
            LOG.warn("sampling {} prompts failed ({}); sampling them one at a time", chunk.size(), e.toString());
            for (Integer i : chunk) {
                sampleChunk(batch, List.of(i), lease, outcomes);
            }
            return;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS); // timestamp-millis
        int n = requests.size();
        List<BlobRef> refs = storeAll(images);
        for (int k = 0; k < n; k++) {
            ImagePair pair = pair(requests.get(k), lease, refs.get(k), refs.get(n + k), now);
            outcomes.set(chunk.get(k), Outcome.emit(config.outputTopic(), pair.getPairId(), pair));
        }
    }

    /**
     * PNG-encodes and stores every image, several at a time: a file store fsyncs each blob and its
     * directory, and on a busy disk those waits (not CPU) were up to a fifth of a batch's wall
     * time when done one after another. Returns once every put has ended; the first failure is
     * thrown then (the batch is retried; content addressing makes the puts that did succeed
     * harmless).
     */
    private List<BlobRef> storeAll(List<BufferedImage> images) {
        List<CompletableFuture<BlobRef>> puts = new ArrayList<>(images.size());
        for (BufferedImage image : images) {
            puts.add(CompletableFuture.supplyAsync(() -> store(image), STORE_POOL));
        }
        List<BlobRef> refs = new ArrayList<>(images.size());
        RuntimeException first = null;
        for (CompletableFuture<BlobRef> put : puts) {
            try {
                refs.add(put.join());
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
                if (first == null) {
                    first = cause;
                } else if (first != cause) {
                    first.addSuppressed(cause);
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return refs;
    }

    /** The A images of every request, then the B images. */
    private List<BufferedImage> sample(DiffusionPolicy policy, List<PromptRequest> requests) {
        int n = requests.size();
        List<String> prompts = requests.stream().map(PromptRequest::getPrompt).toList();
        List<String> negatives = requests.stream().anyMatch(r -> r.getNegativePrompt() != null)
                ? requests.stream().map(r -> r.getNegativePrompt() == null ? "" : r.getNegativePrompt()).toList()
                : null; // "" is what the pipeline uses for no negative prompt (or zeros, if the model says so)
        long[] seedsA = new long[n];
        long[] seedsB = new long[n];
        for (int k = 0; k < n; k++) {
            PairSeeds s = PairSeeds.of(requests.get(k));
            seedsA[k] = s.seedA();
            seedsB[k] = s.seedB();
        }
        SamplingOptions a = new SamplingOptions(config.steps(), config.guidance(), negatives, config.eta());
        if (config.guidanceOfB() == config.guidance()) { // one run of 2n images
            List<String> twice = new ArrayList<>(prompts);
            twice.addAll(prompts);
            List<String> negativesTwice = null;
            if (negatives != null) {
                negativesTwice = new ArrayList<>(negatives);
                negativesTwice.addAll(negatives);
            }
            long[] seeds = new long[2 * n];
            System.arraycopy(seedsA, 0, seeds, 0, n);
            System.arraycopy(seedsB, 0, seeds, n, n);
            return policy.generate(twice, seeds, a.withNegativePrompts(negativesTwice));
        }
        List<BufferedImage> out = new ArrayList<>(policy.generate(prompts, seedsA, a));
        out.addAll(policy.generate(prompts, seedsB, a.withGuidanceScale(config.guidanceOfB())));
        return out;
    }

    private BlobRef store(BufferedImage image) {
        StoredBlob blob = blobs.put(Png.encode(image), MEDIA_TYPE);
        return BlobRef.newBuilder().setUri(blob.uri()).setSha256(blob.sha256()).setWidth(image.getWidth())
                .setHeight(image.getHeight()).setMediaType(blob.mediaType()).build();
    }

    private ImagePair pair(PromptRequest request, PolicyLease lease, BlobRef a, BlobRef b, Instant now) {
        PairSeeds seeds = PairSeeds.of(request);
        // SamplerSettings has one guidance field: image A's. With guidance-b set, B used that instead.
        SamplerSettings sampler = SamplerSettings.newBuilder().setName(config.samplerKind().id())
                .setSteps(config.steps()).setGuidance((float) config.guidance())
                .setSeedA(seeds.seedA()).setSeedB(seeds.seedB()).build();
        return ImagePair.newBuilder().setPairId(pairId(request.getId())).setPromptId(request.getId())
                .setPrompt(request.getPrompt()).setPolicyVersion(lease.version().name()).setSampler(sampler)
                .setImageA(a).setImageB(b).setCreatedAt(now).build();
    }

    /**
     * @param promptId a prompt request id
     * @return the id of its pair
     */
    public static String pairId(String promptId) {
        return PAIR_ID_PREFIX + promptId;
    }

    /** Errors that a prompt causes by itself, every time: rejecting it is right, retrying is not. */
    private static boolean isInputFault(RuntimeException e) {
        return e instanceof TokenizerException || e instanceof IllegalArgumentException;
    }
}
