package dev.alignloop.diffusion.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident-set figures of this process from {@code /proc/self/status} (Linux), in KiB; -1 elsewhere. */
public final class ProcStatus {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcStatus() {
    }

    /** {@code VmHWM}: the peak resident set size so far. */
    public static long peakRssKib() {
        return field("VmHWM:");
    }

    /** {@code VmRSS}: the current resident set size. */
    public static long rssKib() {
        return field("VmRSS:");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
