package dev.alignloop.generator.bench;

import dev.alignloop.common.bench.BenchStats;
import dev.alignloop.common.blob.BlobStore;
import dev.alignloop.common.blob.BlobStoreOptions;
import dev.alignloop.common.blob.BlobStores;
import dev.alignloop.diffusion.pretrained.DiffusionPolicy;
import dev.alignloop.diffusion.pretrained.SamplingOptions;
import dev.alignloop.generator.GeneratorConfig;
import dev.alignloop.generator.PairGenerator;
import dev.alignloop.generator.PairSeeds;
import dev.alignloop.generator.policy.PolicyLease;
import dev.alignloop.generator.policy.PolicyListener;
import dev.alignloop.generator.policy.PolicyManager;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PromptRequest;
import dev.alignloop.streaming.InputRecord;
import dev.alignloop.streaming.eos.Outcome;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Issue 7's generator target, side by side in one JVM on one loaded policy: images/s of the
 * generator-service's {@link PairGenerator#generate} (prompt checks, sampling, PNG encode, blob
 * put with SHA-256 and fsync, {@code ImagePair} records) against {@link DiffusionPolicy#generate}
 * alone (the pipeline's sampling loop and the tensor-to-image conversion) on the same prompts,
 * seeds, steps, guidance, batch and threads. Target: generator ≥ 90% of the bare loop.
 *
 * <pre>
 * java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -cp ... \
 *     dev.alignloop.generator.bench.GeneratorBench [--model models/shapes-base] [--prompts 8] [--steps 20] [--rounds 3]
 * </pre>
 * Each round uses fresh prompt ids (so fresh seeds and images: blob puts really write), the same
 * for both sides, and alternates which side goes first.
 */
public final class GeneratorBench {

    private GeneratorBench() {
    }

    /** Runs with {@code args} (see the class doc). */
    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path model = Path.of(a.getOrDefault("model", "models/shapes-base"));
        int prompts = Integer.parseInt(a.getOrDefault("prompts", "8"));
        int steps = Integer.parseInt(a.getOrDefault("steps", "20"));
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "3"));
        Path dir = Files.createTempDirectory("generator-bench");
        GeneratorConfig config = GeneratorConfig.defaults().withModelDir(model).withSampling(steps, null);
        try (PolicyManager policies = new PolicyManager(config, PolicyListener.NONE);
             BlobStore blobs = BlobStores.open(dir.resolve("blobs").toUri().toString(), BlobStoreOptions.defaults())) {
            policies.start();
            PairGenerator generator = new PairGenerator(config, policies, blobs, Clock.systemUTC());
            SamplingOptions options = new SamplingOptions(config.steps(), config.guidance(), null, config.eta());
            System.out.printf(Locale.ROOT, "generator bench: model %s, %d prompts per batch (%d images), %d steps,"
                            + " guidance %.1f, sampler %s, generator batch-size %d, DJL threads %s, %d cores%n", model,
                    prompts, 2 * prompts, config.steps(), config.guidance(), config.samplerKind().id(),
                    config.batchSize(), System.getProperty("ai.djl.pytorch.num_threads", "default"),
                    Runtime.getRuntime().availableProcessors());
            System.out.println("load average before: " + BenchStats.loadAverage());
            round(generator, policies, options, prompts, "warmup", 0); // warm-up, both sides
            double[] ratios = new double[rounds];
            double[] bare = new double[rounds];
            double[] full = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                double[] t = round(generator, policies, options, prompts, "r" + r, r % 2);
                bare[r] = 2 * prompts / t[0];
                full[r] = 2 * prompts / t[1];
                ratios[r] = bare[r] > 0 ? full[r] / bare[r] : 0;
                System.out.printf(Locale.ROOT, "  round %d: bare sampling %.2f images/s (%.2f s, CPU %.2f s), generator"
                                + " %.2f images/s (%.2f s, CPU %.2f s) -> %.1f%%; load %s%n", r + 1, bare[r], t[0], t[2],
                        full[r], t[1], t[3], 100 * ratios[r], BenchStats.loadAverage());
            }
            System.out.println("load average after: " + BenchStats.loadAverage());
            System.out.printf(Locale.ROOT, "generator bench: bare %.2f images/s, generator %.2f images/s (medians);"
                    + " median ratio %.1f%% (target >= 90%%)%n", BenchStats.median(bare), BenchStats.median(full), 100 * BenchStats.median(ratios));
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted((x, y) -> y.getNameCount() - x.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** One round: {bare seconds, generator seconds, bare CPU s, generator CPU s}. */
    static double[] round(PairGenerator generator, PolicyManager policies, SamplingOptions options, int n, String tag,
            int firstSide) {
        List<InputRecord<PromptRequest>> batch = new ArrayList<>();
        List<String> twice = new ArrayList<>();
        long[] seeds = new long[2 * n];
        String[] words = {"red", "green", "blue", "yellow"};
        String[] shapes = {"circle", "square", "triangle"};
        for (int i = 0; i < n; i++) {
            String text = "a " + words[i % 4] + " " + shapes[i % 3] + " above a " + words[(i + 1) % 4] + " "
                    + shapes[(i + 2) % 3];
            PromptRequest req = PromptRequest.newBuilder().setId(tag + "-p" + i).setPrompt(text).setNegativePrompt(null)
                    .setSeed(null).setSource("bench").setCreatedAt(Instant.EPOCH).build();
            batch.add(new InputRecord<>("prompts", 0, i, 0L, req.getId(), req));
            PairSeeds s = PairSeeds.of(req);
            seeds[i] = s.seedA();
            seeds[n + i] = s.seedB();
        }
        for (InputRecord<PromptRequest> r : batch) {
            twice.add(r.value().getPrompt());
        }
        for (InputRecord<PromptRequest> r : batch) {
            twice.add(r.value().getPrompt());
        }
        double[] t = new double[4];
        for (int k = 0; k < 2; k++) {
            int side = (k + firstSide) % 2;
            long c0 = BenchStats.processCpuNanos();
            long t0 = System.nanoTime();
            if (side == 0) {
                try (PolicyLease lease = policies.acquire()) {
                    List<BufferedImage> images = lease.policy().generate(twice, seeds, options);
                    if (images.size() != 2 * n) {
                        throw new IllegalStateException(images.size() + " images");
                    }
                }
            } else {
                List<Outcome<ImagePair>> out = generator.generate(batch);
                for (Outcome<ImagePair> o : out) {
                    if (!(o instanceof Outcome.Emit<ImagePair>)) {
                        throw new IllegalStateException("bench prompt not turned into a pair: " + o);
                    }
                }
            }
            t[side] = (System.nanoTime() - t0) / 1e9;
            t[2 + side] = (BenchStats.processCpuNanos() - c0) / 1e9;
        }
        return t;
    }

}
