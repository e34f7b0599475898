package dev.alignloop.diffusion.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Command-line options of {@link DiffusionBench}.
 *
 * @param command {@code prepare} or {@code run}
 * @param model {@code prepare}: {@code pixel} (the 32×32 shapes UNet, random weights) or a diffusers
 *     {@code unet/} folder to copy (e.g. {@code parity/unet-sd15-tiny/unet})
 * @param workdir the benchmark folder ({@code unet/}, {@code inputs.safetensors}, ...)
 * @param benchCase {@code run}: the case to time
 * @param iterations timed iterations
 * @param warmup untimed iterations before them
 * @param threads intra-op threads of the engine
 * @param pairs DPO pairs B (forward batches are 2B, the DDIM loop samples B images, 2B rows with CFG)
 * @param tokens text sequence length
 * @param seed seed of the random weights and inputs
 * @param out {@code run}: the JSON result file
 * @param profile {@code run}: optional chrome-trace file of the libtorch profiler over the timed iterations
 */
public record BenchOptions(String command, String model, Path workdir, BenchCase benchCase, int iterations, int warmup,
        int threads, int pairs, int tokens, long seed, Path out, Path profile) {

    /** Usage text. */
    public static final String USAGE = """
            usage: DiffusionBench prepare --model pixel|UNET_DIR --workdir DIR [--pairs 8] [--tokens 16] [--seed 0]
                   DiffusionBench run --workdir DIR --case fwd|fwdbwd|ddim|dpo --out FILE.json
                                      [--iters 10] [--warmup 2] [--threads 2] [--profile TRACE.json]""";

    /** Parses {@code args}; throws IllegalArgumentException with the usage on errors. */
    public static BenchOptions parse(String[] args) {
        if (args.length == 0 || !(args[0].equals("prepare") || args[0].equals("run"))) {
            throw new IllegalArgumentException(USAGE);
        }
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("bad option near '" + args[i] + "'\n" + USAGE);
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        String workdir = o.get("workdir");
        if (workdir == null) {
            throw new IllegalArgumentException("--workdir is required\n" + USAGE);
        }
        boolean run = args[0].equals("run");
        if (run && (o.get("case") == null || o.get("out") == null)) {
            throw new IllegalArgumentException("run needs --case and --out\n" + USAGE);
        }
        if (!run && o.get("model") == null) {
            throw new IllegalArgumentException("prepare needs --model\n" + USAGE);
        }
        return new BenchOptions(args[0], o.get("model"), Path.of(workdir),
                run ? BenchCase.fromName(o.get("case")) : null,
                Integer.parseInt(o.getOrDefault("iters", "10")), Integer.parseInt(o.getOrDefault("warmup", "2")),
                Integer.parseInt(o.getOrDefault("threads", "2")), Integer.parseInt(o.getOrDefault("pairs", "8")),
                Integer.parseInt(o.getOrDefault("tokens", "16")), Long.parseLong(o.getOrDefault("seed", "0")),
                o.containsKey("out") ? Path.of(o.get("out")) : null,
                o.containsKey("profile") ? Path.of(o.get("profile")) : null);
    }
}
