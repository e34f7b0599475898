package dev.alignloop.diffusion.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a service's models run, from one config value ({@code alignloop.<service>.device}):
 * <ul>
 *   <li>{@code auto} (default): the first GPU when the PyTorch engine has CUDA natives and sees a
 *       GPU, otherwise the CPU — DJL's own default device;</li>
 *   <li>{@code cpu};</li>
 *   <li>{@code gpu} or {@code gpu:N}: that GPU, and an error at start-up (naming the key) when the
 *       engine sees fewer GPUs — a GPU deployment must not fall back to CPU silently.</li>
 * </ul>
 * CUDA natives come from the {@code cuda} build profile (see deploy/README.md); the default build
 * ships CPU natives only.
 */
public final class ComputeDevice {
    private static final Pattern GPU = Pattern.compile("gpu(?::(\\d+))?");

    private ComputeDevice() {
    }

    /**
     * @param spec {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N} (case-insensitive)
     * @param key the config key it came from, for the error message
     * @throws IllegalArgumentException naming {@code key} for an unknown value or a missing GPU
     */
    public static Device resolve(String spec, String key) {
        return resolve(spec, key, gpuCount());
    }

    static Device resolve(String spec, String key, int gpus) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.equals("auto")) {
            return gpus > 0 ? Device.gpu(0) : Device.cpu();
        }
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        Matcher m = GPU.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException(key + " must be auto, cpu, gpu or gpu:N, got '" + spec + "'");
        }
        int index = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
        if (index >= gpus) {
            throw new IllegalArgumentException(key + " = " + spec + ", but the PyTorch engine sees " + gpus + " GPU(s)"
                    + (gpus == 0 ? " (CPU natives, no CUDA driver, or CUDA_VISIBLE_DEVICES empty): build with the cuda "
                    + "profile and run on a GPU node, or set " + key + "=cpu" : ""));
        }
        return Device.gpu(index);
    }

    /** A root manager on {@code device}: every array created from it (and its children) lives there. */
    public static NDManager newManager(Device device) {
        return NDManager.newBaseManager(device);
    }

    private static int gpuCount() {
        return Engine.getInstance().getGpuCount();
    }
}
