package dev.alignloop.monitor.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, for browser tests of the dashboard (shipped in this module's
 * test-jar so the CLI's end-to-end test can look at a live loop's dashboard too). The flags keep it
 * off the network, which this machine's closed network would otherwise refuse, slowly.
 */
public final class HeadlessChromium {
    /** Where Debian installs it; {@code -Dalignloop.chromium=...} for elsewhere. */
    public static final Path CHROMIUM = Path.of(System.getProperty("alignloop.chromium", "/usr/bin/chromium"));

    private HeadlessChromium() {
    }

    public static boolean available() {
        return Files.isExecutable(CHROMIUM);
    }

    /** Runs Chromium with {@code args} (e.g. {@code --dump-dom URL}) and a 60 s deadline; returns stdout. */
    public static String run(Path tmp, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium"),
                "--virtual-time-budget=5000"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "chromium", ".out");
        Path err = Files.createTempFile(tmp, "chromium", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 60 s: " + cmd);
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** Occurrences of {@code needle} in {@code text}. */
    public static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
