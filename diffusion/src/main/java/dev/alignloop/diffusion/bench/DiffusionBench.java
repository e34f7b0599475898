package dev.alignloop.diffusion.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alignloop.diffusion.safetensors.HostTensor;
import dev.alignloop.diffusion.safetensors.SafeTensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Java half of the DJL-vs-PyTorch benchmark (see the package docs and {@code bench/run.sh}).
 *
 * <pre>
 * DiffusionBench prepare --model pixel|UNET_DIR --workdir DIR [--pairs 8] [--tokens 16] [--seed 0]
 * DiffusionBench run --workdir DIR --case fwd|fwdbwd|ddim|dpo --out FILE.json
 *                    [--iters 10] [--warmup 2] [--threads 2] [--profile TRACE.json]
 * </pre>
 *
 * {@code run} measures one case per process, so the peak RSS ({@code VmHWM}) it reports is that case's.
 */
public final class DiffusionBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DiffusionBench() {
    }

    public static void main(String[] args) {
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        // Must be set before the engine starts; -D on the command line wins.
        System.setProperty("ai.djl.pytorch.num_threads",
                System.getProperty("ai.djl.pytorch.num_threads", Integer.toString(o.threads())));
        System.setProperty("ai.djl.pytorch.num_interop_threads",
                System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        BenchFolder folder = new BenchFolder(o.workdir());
        if (o.command().equals("prepare")) {
            prepare(folder, o);
        } else {
            run(folder, o);
        }
    }

    /** Writes the folder and the reference outputs (one iteration of every case on fresh models). */
    static void prepare(BenchFolder folder, BenchOptions o) {
        folder.prepare(o.model(), o.pairs(), o.tokens(), o.seed());
        Map<String, HostTensor> reference = new LinkedHashMap<>();
        for (BenchCase c : BenchCase.values()) {
            try (NDManager m = NDManager.newBaseManager()) {
                reference.putAll(c.open(folder, m).iterate(true));
            }
        }
        SafeTensorsWriter.write(folder.referenceFile(), reference, Map.of("side", "djl"));
        System.out.println("prepared " + folder.dir() + " (" + folder.unetConfig().blockOutChannels() + ")");
    }

    static void run(BenchFolder folder, BenchOptions o) {
        long rssStart = ProcStatus.rssKib();
        Engine engine = Engine.getInstance();
        long rssEngine = ProcStatus.rssKib();
        double[] times = new double[o.iterations()];
        double[] cpu = new double[o.iterations()];
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        long rssSetup;
        try (NDManager m = NDManager.newBaseManager()) {
            Workload w = o.benchCase().open(folder, m);
            rssSetup = ProcStatus.rssKib();
            for (int i = 0; i < o.warmup(); i++) {
                w.iterate(false);
            }
            if (o.profile() != null) {
                JniUtils.startProfile(false, true, false);
            }
            for (int i = 0; i < times.length; i++) {
                long c0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                w.iterate(false);
                times[i] = (System.nanoTime() - t0) / 1e6;
                cpu[i] = (os.getProcessCpuTime() - c0) / 1e6; // all threads of the process (JIT and GC included)
            }
            if (o.profile() != null) {
                JniUtils.stopProfile(o.profile().toString());
            }
        }
        ObjectNode r = JSON.createObjectNode();
        r.put("side", "djl");
        r.put("case", o.benchCase().id());
        r.put("engine", engine.getEngineName() + " " + engine.getVersion());
        r.put("threads", JniUtils.getNumThreads());
        r.put("interop_threads", JniUtils.getNumInteropThreads());
        r.put("warmup", o.warmup());
        ArrayNode t = r.putArray("times_ms");
        Arrays.stream(times).forEach(t::add);
        double[] sorted = times.clone();
        Arrays.sort(sorted);
        r.put("median_ms", median(sorted));
        r.put("min_ms", sorted[0]);
        r.put("mean_ms", Arrays.stream(times).average().orElse(Double.NaN));
        double[] cpuSorted = cpu.clone();
        Arrays.sort(cpuSorted);
        r.put("cpu_median_ms", median(cpuSorted));
        r.put("rss_start_kib", rssStart);
        r.put("rss_after_engine_kib", rssEngine);
        r.put("rss_after_setup_kib", rssSetup);
        r.put("vmhwm_kib", ProcStatus.peakRssKib());
        r.put("java_max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
        try {
            Files.writeString(o.out(), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + o.out(), e);
        }
        System.out.printf("djl %s: median %.1f ms, VmHWM %d MiB%n", o.benchCase().id(), median(sorted),
                ProcStatus.peakRssKib() >> 10);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
